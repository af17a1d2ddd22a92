package io.cairn.server.cluster;

import java.util.List;

/**
 * Balance of the cluster as one node sees it from its applied metadata, and the leader's progress.
 *
 * @param state "off", "balanced", "balancing" (leader moving chunks), "unbalanced" (seen from a
 *     follower, or nothing can improve it), or "waiting-for-healing"
 * @param meanUtilization stored bytes / capacity over the ALIVE nodes
 * @param maxDeviation largest |utilization - mean| / mean of any ALIVE node
 * @param nodes each ALIVE node's figures
 * @param plannedChunks moves in the current plan (leader; 0 elsewhere)
 * @param plannedBytes bytes the current plan moves
 * @param movedChunks replicas moved since this node started leading
 * @param movedBytes bytes moved since this node started leading
 * @param rateBytesPerSecond recent rate of moved bytes
 */
public record RebalanceStatus(String state, double meanUtilization, double maxDeviation, List<NodeBalance> nodes,
    long plannedChunks, long plannedBytes, long movedChunks, long movedBytes, double rateBytesPerSecond) {
  public static final RebalanceStatus EMPTY = new RebalanceStatus("balanced", 0, 0, List.of(), 0, 0, 0, 0, 0);

  /** One node's stored bytes as the metadata lists them, its utilization and its deviation from the mean. */
  public record NodeBalance(int id, long storedBytes, long chunks, double utilization, double deviation) {}
}
