package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.CairnException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Peer RPC family: cairn_peer_request_duration_seconds{op} and cairn_peer_requests_total{op,status}. */
class PeerMetricsTest {
  final Metrics metrics = new Metrics();
  HttpServer peer;
  PeerClient client;
  String url;

  @BeforeEach
  void start() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/internal/chunks/", ex -> {
      int status = switch (ex.getRequestMethod()) {
        case "PUT" -> 200;
        case "GET", "DELETE" -> 404;
        default -> 405;
      };
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    peer.start();
    url = "http://127.0.0.1:" + peer.getAddress().getPort();
    client = new PeerClient(new InternalAuth(new byte[32], Clock.systemUTC()), Duration.ofSeconds(5))
        .observe(metrics::peerCall);
  }

  @AfterEach
  void stop() {
    client.close();
    peer.stop(0);
  }

  @Test
  void everyCallIsTimedAndCountedByOperationAndOutcome() {
    client.putChunk(url, "c1", new byte[100], 100, 0);
    client.putChunk(url, "c2", new byte[100], 100, 0);
    assertThatThrownBy(() -> client.getChunk(url, "c1")).isInstanceOf(CairnException.class);
    assertThat(client.deleteChunk(url, "c1")).isFalse();

    Scrape s = Scrape.of(metrics);
    assertThat(s.value("cairn_peer_requests_total", "op", "put_chunk", "status", "success")).isEqualTo(2);
    assertThat(s.value("cairn_peer_requests_total", "op", "get_chunk", "status", "failed")).isEqualTo(1);
    assertThat(s.value("cairn_peer_requests_total", "op", "delete_chunk", "status", "success"))
        .as("a delete of a chunk the peer does not have is not a failure").isEqualTo(1);
    assertThat(s.value("cairn_peer_request_duration_seconds_count", "op", "put_chunk")).isEqualTo(2);
    assertThat(s.value("cairn_peer_request_duration_seconds_sum", "op", "put_chunk")).isPositive();
    assertThat(s.samples.keySet()).noneMatch(k -> k.contains("c1") || k.contains("c2"));
  }

  @Test
  void anUnreachablePeerIsAFailedCall() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    assertThatThrownBy(() -> client.putChunk("http://127.0.0.1:" + dead, "c", new byte[1], 1, 0))
        .isInstanceOf(CairnException.class);
    Scrape s = Scrape.of(metrics);
    assertThat(s.value("cairn_peer_requests_total", "op", "put_chunk", "status", "failed")).isEqualTo(1);
    assertThat(s.value("cairn_peer_request_duration_seconds_count", "op", "put_chunk")).isEqualTo(1);
  }
}
