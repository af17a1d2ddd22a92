package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeState;
import org.junit.jupiter.api.Test;

/** Health family: metadata_replications_total{status}, Raft commit latency and leadership gauges. */
class CountingMetaStoreTest {
  final Metrics metrics = new Metrics();
  final ManualMetaStore raft = new ManualMetaStore();
  final CountingMetaStore meta = new CountingMetaStore(raft, metrics);

  @Test
  void eachCommittedChangeCountsAsSuccessAndIsTimed() {
    meta.createBucket("b");
    meta.setNodeState(1, NodeState.ALIVE);
    Scrape s = Scrape.of(metrics);
    assertThat(s.value("metadata_replications_total", "status", "success")).isEqualTo(2);
    assertThat(s.value("metadata_replications_total", "status", "failed")).isZero();
    assertThat(s.value("cairn_raft_commit_duration_seconds_count")).isEqualTo(2);
  }

  @Test
  void readsAreNotCounted() {
    meta.buckets();
    meta.nodesLocal();
    meta.file("b", "k");
    assertThat(Scrape.of(metrics).sum("metadata_replications_total")).isZero();
  }

  @Test
  void aChangeThatCouldNotBeCommittedCountsAsFailed() {
    raft.failWith(new CairnException(ErrorCode.UNAVAILABLE, "no leader"));
    assertThatThrownBy(() -> meta.createBucket("b")).isInstanceOf(CairnException.class);
    Scrape s = Scrape.of(metrics);
    assertThat(s.value("metadata_replications_total", "status", "failed")).isEqualTo(1);
    assertThat(s.value("metadata_replications_total", "status", "success")).isZero();
  }

  @Test
  void aRejectedChangeWasStillReplicated() {
    raft.failWith(new CairnException(ErrorCode.ALREADY_EXISTS, "exists"));
    assertThatThrownBy(() -> meta.createBucket("b")).isInstanceOf(CairnException.class);
    assertThat(Scrape.of(metrics).value("metadata_replications_total", "status", "success")).isEqualTo(1);
  }

  @Test
  void leadershipGaugesFollowRaft() {
    raft.leaderId = 1;
    raft.term = 4;
    Scrape s = Scrape.of(metrics);
    assertThat(s.value("cairn_raft_is_leader")).isEqualTo(1);
    assertThat(s.value("cairn_raft_has_leader")).isEqualTo(1);
    assertThat(s.value("cairn_raft_term")).isEqualTo(4);
    raft.leaderId = 0;
    raft.term = 5;
    s = Scrape.of(metrics);
    assertThat(s.value("cairn_raft_is_leader")).isZero();
    assertThat(s.value("cairn_raft_has_leader")).isZero();
    assertThat(s.value("cairn_raft_term")).isEqualTo(5);
    raft.leaderId = 2;
    s = Scrape.of(metrics);
    assertThat(s.value("cairn_raft_is_leader")).isZero();
    assertThat(s.value("cairn_raft_has_leader")).isEqualTo(1);
  }
}
