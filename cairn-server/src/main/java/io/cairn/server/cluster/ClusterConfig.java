package io.cairn.server.cluster;

import java.time.Duration;

/**
 * Settings of membership and background upkeep.
 *
 * @param heartbeatInterval how often each node reports to the leader
 * @param deadAfter silence after which the leader declares a node DEAD (SUSPECT at half of it)
 * @param orphanGrace age a local chunk must reach before the sweep may delete it as unreferenced; longer
 *     than any upload takes, since an upload's chunks are unreferenced until it commits
 * @param sweepInterval how often each node looks for orphaned chunks
 */
public record ClusterConfig(Duration heartbeatInterval, Duration deadAfter, Duration orphanGrace,
    Duration sweepInterval) {
  public ClusterConfig {
    if (heartbeatInterval.toMillis() < 50) {
      throw new IllegalArgumentException("heartbeat interval must be >= 50 ms");
    }
    if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("dead-after must be at least two heartbeat intervals");
    }
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofHours(1),
        Duration.ofMinutes(5));
  }
}
