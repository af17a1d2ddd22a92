package io.cairn.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.chunk.Envelope;
import io.cairn.chunk.InMemoryChunkStore;
import io.cairn.chunk.MasterKey;
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
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an upload leaves behind when its commit fails: a refused commit removes the chunks at once; a
 * commit whose outcome is unknown (a timeout: the Raft entry may still apply) leaves them, so a file
 * that does get committed never lacks its data. The orphan sweep removes them later if unreferenced.
 */
class FailedCommitTest {
  final ManualMetaStore meta = new ManualMetaStore();
  final InMemoryChunkStore local = new InMemoryChunkStore();
  final ClusterMap cluster = new ClusterMap(meta, local, 1);

  ReplicatedFileService service() {
    meta.nodes.add(ManualMetaStore.node(1, "http://127.0.0.1:8080", "http://127.0.0.1:1", NodeState.ALIVE));
    FilesConfig config = new FilesConfig(ByteSize.ofKiB(64), 1, 1, ByteSize.ofMiB(8), 2, Duration.ofSeconds(5),
        ByteSize.ofKiB(4));
    PeerClient peers = new PeerClient(new InternalAuth(new byte[32], Clock.systemUTC()), Duration.ofSeconds(5));
    return new ReplicatedFileService(meta, cluster, new ChunkTransport(cluster, local, peers),
        new Envelope(MasterKey.random()), config, bad -> { }, new Metrics());
  }

  void upload(ReplicatedFileService files) {
    files.put(new FileService.PutRequest("b", "k", null, Map.of(), false),
        new ByteArrayInputStream(new byte[200 * 1024]));
  }

  @Test
  void aCommitThatTimedOutLeavesItsChunksForTheOrphanSweep() throws Exception {
    ReplicatedFileService files = service();
    meta.failWith(new CairnException(ErrorCode.TIMEOUT, "PutFile got no answer within 10000 ms"));

    assertThatThrownBy(() -> upload(files)).isInstanceOf(CairnException.class);

    Thread.sleep(500); // the janitor runs on its own thread; give it time to do the wrong thing
    assertThat(local.list()).as("chunks of an upload whose commit may still apply").hasSize(4);
  }

  @Test
  void aRefusedCommitRemovesItsChunks() {
    ReplicatedFileService files = service();
    meta.failWith(new CairnException(ErrorCode.INVALID_ARGUMENT, "refused"));

    assertThatThrownBy(() -> upload(files)).isInstanceOf(CairnException.class);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(local.list()).isEmpty());
  }
}
