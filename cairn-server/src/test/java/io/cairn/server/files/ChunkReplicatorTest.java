package io.cairn.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cairn.chunk.Checksums;
import io.cairn.chunk.InMemoryChunkStore;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeState;
import io.cairn.server.cluster.ChunkTransport;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.metrics.ManualMetaStore;
import io.cairn.server.metrics.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write quorum and the grace period: an upload is held up by a slow or cut-off peer for the grace
 * period at most, not for the peer timeout; below the quorum it fails with a retryable error.
 */
class ChunkReplicatorTest {
  static final Duration PEER_TIMEOUT = Duration.ofSeconds(20);

  final ManualMetaStore meta = new ManualMetaStore();
  final InMemoryChunkStore local = new InMemoryChunkStore();
  final ClusterMap cluster = new ClusterMap(meta, local, 1);
  final List<HttpServer> servers = new ArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
  }

  /** A peer whose chunk endpoint answers {@code status}, after {@code delay}. */
  String peer(int status, Duration delay) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/internal/chunks/", ex -> {
      ex.getRequestBody().readAllBytes();
      try {
        release.await(delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  ChunkReplicator replicator() {
    FilesConfig config = new FilesConfig(ByteSize.ofMiB(8), 3, 2, ByteSize.ofMiB(8), 2, PEER_TIMEOUT,
        ByteSize.ofKiB(4));
    PeerClient peers = new PeerClient(new InternalAuth(new byte[32], Clock.systemUTC()), PEER_TIMEOUT);
    return new ChunkReplicator(cluster, new ChunkTransport(cluster, local, peers), config, new Metrics());
  }

  void register(int id, String internal) {
    meta.nodes.add(ManualMetaStore.node(id, "http://127.0.0.1:" + (8079 + id), internal, NodeState.ALIVE));
  }

  @Test
  void aHangingPeerDelaysTheUploadByTheGracePeriodOnlyAndIsLeftOut() throws IOException {
    register(1, "http://127.0.0.1:1");
    register(2, peer(200, Duration.ZERO));
    register(3, peer(200, Duration.ofSeconds(60)));
    byte[] sealed = new byte[64 * 1024];
    long t0 = System.nanoTime();

    List<Integer> stored = replicator().replicate("chunkhang0001", sealed, Checksums.crc32c(sealed, 0, sealed.length));

    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(stored).containsExactlyInAnyOrder(1, 2);
    assertThat(local.contains("chunkhang0001")).isTrue();
    // The grace period is 2 s; the peer timeout (20 s) is what the upload would otherwise have waited.
    assertThat(seconds).as("seconds until the quorum write returned").isLessThan(PEER_TIMEOUT.toSeconds() / 2.0);
  }

  @Test
  void belowTheWriteQuorumTheChunkFailsWithARetryableError() throws IOException {
    register(1, "http://127.0.0.1:1");
    register(2, peer(500, Duration.ZERO));
    register(3, peer(500, Duration.ZERO));
    byte[] sealed = new byte[1024];

    assertThatThrownBy(() -> replicator().replicate("chunkfail0001", sealed, Checksums.crc32c(sealed, 0, sealed.length)))
        .isInstanceOfSatisfying(CairnException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_REPLICAS);
          assertThat(e.getMessage()).contains("stored on 1 node(s), 2 required");
        });
  }

  @Test
  void graceIsTwiceTheQuorumTimeAndAtLeastTwoSeconds() {
    assertThat(ChunkReplicator.graceMillis(0)).isEqualTo(2000);
    assertThat(ChunkReplicator.graceMillis(1500)).isEqualTo(3000);
  }
}
