package io.cairn.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Balance statistics of a set of nodes: each node's utilization (stored bytes / capacity), the
 * capacity-weighted mean utilization, and each node's deviation from that mean relative to the mean
 * (0.05 = 5 % above it). Relative deviation is what "every node within ±5 % of the mean" means, and it
 * does not depend on how large the capacities are.
 */
public final class Balance {
  private Balance() {}

  /** A node as the balancer sees it: what its chunks take (as the metadata lists them) and what it may hold. */
  public record Node(int nodeId, String zone, long capacityBytes, long usedBytes) {
    public Node {
      zone = zone == null ? "" : zone;
      if (capacityBytes <= 0) {
        throw new IllegalArgumentException("capacity must be > 0 for node " + nodeId);
      }
    }

    public double utilization() {
      return (double) usedBytes / capacityBytes;
    }
  }

  /** Sum of used bytes / sum of capacities; 0 for no nodes. */
  public static double meanUtilization(Collection<Node> nodes) {
    long used = 0;
    long cap = 0;
    for (Node n : nodes) {
      used += n.usedBytes();
      cap += n.capacityBytes();
    }
    return cap == 0 ? 0 : (double) used / cap;
  }

  /** (utilization - mean) / mean; 0 when the mean is 0 (an empty cluster is balanced). */
  public static double deviation(Node n, double mean) {
    return mean <= 0 ? 0 : (n.utilization() - mean) / mean;
  }

  /** Largest |deviation| of any node. */
  public static double maxDeviation(Collection<Node> nodes) {
    double mean = meanUtilization(nodes);
    double max = 0;
    for (Node n : nodes) {
      max = Math.max(max, Math.abs(deviation(n, mean)));
    }
    return max;
  }

  /** Standard deviation of the nodes' relative deviations (the seeds' "share standard deviation"). */
  public static double stddev(Collection<Node> nodes) {
    double mean = meanUtilization(nodes);
    List<Double> d = new ArrayList<>();
    nodes.forEach(n -> d.add(deviation(n, mean)));
    double avg = d.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return Math.sqrt(d.stream().mapToDouble(x -> (x - avg) * (x - avg)).average().orElse(0));
  }
}
