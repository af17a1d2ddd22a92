package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cairn.chunk.InMemoryChunkStore;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.NodeState;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.cluster.HeartbeatSender;
import io.cairn.server.cluster.MembershipWatcher;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fault-tolerance and health families at unit level: node failures/recoveries and active/total nodes from
 * registry changes, every node's node_selection_count present at 0, heartbeat checks and failures.
 */
class FaultToleranceMetricsTest {
  final Metrics metrics = new Metrics();
  final ManualMetaStore meta = new ManualMetaStore();
  final InMemoryChunkStore store = new InMemoryChunkStore();
  final ClusterMap cluster = new ClusterMap(meta, store, 1);

  void register(int id, String internal) {
    meta.nodes.add(ManualMetaStore.node(id, "http://127.0.0.1:" + (8079 + id), internal, NodeState.ALIVE));
  }

  @Test
  void failuresAndRecoveriesFollowTheRegistry() {
    for (int id = 1; id <= 3; id++) {
      register(id, "http://127.0.0.1:1");
    }
    MembershipWatcher watcher = new MembershipWatcher(cluster, metrics);
    watcher.tick();
    Scrape s = Scrape.of(metrics);
    assertThat(s.value("active_nodes_count")).isEqualTo(3);
    assertThat(s.value("total_nodes_count")).isEqualTo(3);
    assertThat(s.value("node_failures_total")).isZero();

    meta.setState(3, NodeState.SUSPECT);
    watcher.tick();
    assertThat(Scrape.of(metrics).value("node_failures_total")).as("SUSPECT is not a failure").isZero();
    meta.setState(3, NodeState.DEAD);
    watcher.tick();
    watcher.tick();
    s = Scrape.of(metrics);
    assertThat(s.value("node_failures_total")).isEqualTo(1);
    assertThat(s.value("active_nodes_count")).isEqualTo(2);
    assertThat(s.value("total_nodes_count")).isEqualTo(3);

    meta.setState(3, NodeState.ALIVE);
    watcher.tick();
    s = Scrape.of(metrics);
    assertThat(s.value("node_recoveries_total")).isEqualTo(1);
    assertThat(s.value("node_failures_total")).isEqualTo(1);
    assertThat(s.value("active_nodes_count")).isEqualTo(3);

    meta.setState(2, NodeState.DECOMMISSIONED);
    assertThat(Scrape.of(metrics).value("total_nodes_count")).isEqualTo(2);
  }

  @Test
  void everyRegisteredNodeHasANodeSelectionSeriesBeforeItIsChosen() {
    for (int id = 1; id <= 3; id++) {
      register(id, "http://127.0.0.1:1");
    }
    new MembershipWatcher(cluster, metrics).tick();
    Scrape s = Scrape.of(metrics);
    for (int port = 8080; port <= 8082; port++) {
      assertThat(s.has("node_selection_count", "node_ip", "127.0.0.1:" + port)).isTrue();
      assertThat(s.value("node_selection_count", "node_ip", "127.0.0.1:" + port)).isZero();
    }
  }

  @Test
  void heartbeatsToTheLeaderAreCountedAndTheirFailuresToo() throws Exception {
    HttpServer leader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    leader.createContext("/internal/heartbeat", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] body = "{\"leaderId\":2,\"term\":1,\"loads\":[],\"heartbeatAgeMillis\":{}}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    leader.start();
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    register(1, "http://127.0.0.1:1");
    register(2, "http://127.0.0.1:" + leader.getAddress().getPort());
    register(3, "http://127.0.0.1:" + dead);
    meta.leaderId = 2;
    try (PeerClient peers = new PeerClient(new InternalAuth(new byte[32], Clock.systemUTC()), Duration.ofSeconds(5))
        .observe(metrics::peerCall)) {
      HeartbeatSender sender = new HeartbeatSender(meta, cluster, store, peers, null, Clock.systemUTC(), metrics);
      sender.tick();
      sender.tick();
      Scrape s = Scrape.of(metrics);
      assertThat(s.value("heartbeat_checks_total")).isEqualTo(2);
      assertThat(s.value("heartbeat_failures_total")).isZero();
      assertThat(s.value("cairn_peer_requests_total", "op", "heartbeat", "status", "success")).isEqualTo(2);

      meta.leaderId = 3; // the leader moved to a node that does not answer
      sender.tick();
      s = Scrape.of(metrics);
      assertThat(s.value("heartbeat_checks_total")).isEqualTo(3);
      assertThat(s.value("heartbeat_failures_total")).isEqualTo(1);
      assertThat(s.value("cairn_peer_requests_total", "op", "heartbeat", "status", "failed")).isEqualTo(1);

      meta.leaderId = 0; // no leader known: nothing is sent, nothing is counted
      sender.tick();
      assertThat(Scrape.of(metrics).value("heartbeat_checks_total")).isEqualTo(3);
    } finally {
      leader.stop(0);
    }
  }
}
