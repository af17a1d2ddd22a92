package io.cairn.server.cluster;

import java.time.Duration;

/**
 * Settings of membership and background upkeep.
 *
 * @param heartbeatInterval how often each node reports to the leader
 * @param deadAfter silence after which the leader declares a node DEAD (SUSPECT at half of it)
 * @param orphanGrace age a local chunk must reach before the sweep may delete it as unreferenced or no
 *     longer listed for this node; longer than any upload takes, since an upload's chunks are
 *     unreferenced until it commits
 * @param sweepInterval how often each node looks for orphaned chunks
 * @param healInterval how often the leader looks for under-replicated chunks
 * @param healConcurrency chunk copies the leader runs at once while healing
 * @param healBytesPerSecond bandwidth healing may use (copied bytes per second)
 * @param scrubBytesPerSecond how fast each node re-reads its own chunks to verify them (0 = never)
 * @param rebalance how the leader evens out node utilization
 */
public record ClusterConfig(Duration heartbeatInterval, Duration deadAfter, Duration orphanGrace,
    Duration sweepInterval, Duration healInterval, int healConcurrency, long healBytesPerSecond,
    long scrubBytesPerSecond, RebalanceConfig rebalance) {
  /** With the default rebalancer settings. */
  public ClusterConfig(Duration heartbeatInterval, Duration deadAfter, Duration orphanGrace, Duration sweepInterval,
      Duration healInterval, int healConcurrency, long healBytesPerSecond, long scrubBytesPerSecond) {
    this(heartbeatInterval, deadAfter, orphanGrace, sweepInterval, healInterval, healConcurrency,
        healBytesPerSecond, scrubBytesPerSecond, RebalanceConfig.defaults());
  }

  public ClusterConfig {
    java.util.Objects.requireNonNull(rebalance, "rebalance");
    if (heartbeatInterval.toMillis() < 50) {
      throw new IllegalArgumentException("heartbeat interval must be >= 50 ms");
    }
    if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("dead-after must be at least two heartbeat intervals");
    }
    if (healConcurrency < 1 || healBytesPerSecond < 1 << 20) {
      throw new IllegalArgumentException("heal concurrency must be >= 1 and heal bandwidth >= 1 MiB/s");
    }
    if (scrubBytesPerSecond < 0) {
      throw new IllegalArgumentException("scrub rate must be >= 0");
    }
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofHours(1),
        Duration.ofMinutes(5), Duration.ofSeconds(2), 4, 200L << 20, 16L << 20);
  }
}
