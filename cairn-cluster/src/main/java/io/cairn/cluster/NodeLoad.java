package io.cairn.cluster;

/**
 * What placement knows of a node at the moment it decides.
 *
 * @param nodeId node id
 * @param zone failure domain ("" when none)
 * @param usedBytes chunk bytes stored on the node (last heartbeat, plus writes this node has in flight)
 * @param freeBytes bytes the node still accepts
 * @param inflight requests the node is serving (reads and writes)
 */
public record NodeLoad(int nodeId, String zone, long usedBytes, long freeBytes, int inflight) {
  public NodeLoad {
    zone = zone == null ? "" : zone;
  }

  /** Fraction of (used + free) in use; 1.0 for a node that reports no space at all. */
  public double utilization() {
    long total = usedBytes + freeBytes;
    return total <= 0 ? 1.0 : (double) usedBytes / total;
  }
}
