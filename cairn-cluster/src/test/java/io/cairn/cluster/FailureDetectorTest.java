package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.NodeState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void silentNodesBecomeSuspectThenDeadAndComeBackWithAHeartbeat() {
    ManualClock clock = new ManualClock();
    FailureDetector d = new FailureDetector(clock, Duration.ofSeconds(5));
    Map<Integer, NodeState> agreed = Map.of(1, NodeState.ALIVE, 2, NodeState.ALIVE, 3, NodeState.ALIVE);
    d.heartbeat(new NodeLoad(2, "", 0, 1, 0));
    d.heartbeat(new NodeLoad(3, "", 0, 1, 0));
    clock.millis += 2000;
    assertThat(d.evaluate(agreed, 1)).isEmpty();
    clock.millis += 1000;
    d.heartbeat(new NodeLoad(2, "", 0, 1, 0));
    assertThat(d.evaluate(agreed, 1)).containsExactly(Map.entry(3, NodeState.SUSPECT));
    clock.millis += 2500;
    d.heartbeat(new NodeLoad(2, "", 0, 1, 0));
    assertThat(d.evaluate(Map.of(1, NodeState.ALIVE, 2, NodeState.ALIVE, 3, NodeState.SUSPECT), 1))
        .containsExactly(Map.entry(3, NodeState.DEAD));
    d.heartbeat(new NodeLoad(3, "", 0, 1, 0));
    assertThat(d.evaluate(Map.of(1, NodeState.ALIVE, 2, NodeState.ALIVE, 3, NodeState.DEAD), 1))
        .containsExactly(Map.entry(3, NodeState.ALIVE));
  }

  @Test
  void aNewLeaderGivesEveryNodeAFullTimeoutOfGraceAndNeverDeclaresItself() {
    ManualClock clock = new ManualClock();
    FailureDetector d = new FailureDetector(clock, Duration.ofSeconds(5));
    Map<Integer, NodeState> agreed = Map.of(1, NodeState.DEAD, 2, NodeState.ALIVE);
    assertThat(d.evaluate(agreed, 1)).containsExactly(Map.entry(1, NodeState.ALIVE));
    clock.millis += 4999;
    assertThat(d.evaluate(Map.of(1, NodeState.ALIVE, 2, NodeState.ALIVE), 1)).containsEntry(2, NodeState.SUSPECT);
    clock.millis += 1;
    assertThat(d.evaluate(Map.of(1, NodeState.ALIVE, 2, NodeState.SUSPECT), 1)).containsEntry(2, NodeState.DEAD);
    assertThat(d.evaluate(Map.of(2, NodeState.DECOMMISSIONED), 1)).isEmpty();
  }
}
