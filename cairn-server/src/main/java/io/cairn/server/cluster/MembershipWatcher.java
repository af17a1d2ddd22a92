package io.cairn.server.cluster;

import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.metrics.Metrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns changes of the replicated registry into this node's failure/recovery counters. Every node runs
 * one, so every node's {@code node_failures_total} agrees, not only the leader's. Runs on one thread.
 */
public final class MembershipWatcher {
  private final ClusterMap cluster;
  private final Metrics metrics;
  private Map<Integer, NodeState> last = Map.of();

  public MembershipWatcher(ClusterMap cluster, Metrics metrics) {
    this.cluster = cluster;
    this.metrics = metrics;
    metrics.gauge("active_nodes_count", "Nodes the registry holds ALIVE",
        () -> cluster.aliveIds().size());
    metrics.gauge("total_nodes_count", "Nodes in the registry (not decommissioned)",
        () -> cluster.nodes().stream().filter(n -> n.state() != NodeState.DECOMMISSIONED).count());
  }

  public void tick() {
    List<NodeInfo> nodes = cluster.nodes();
    Map<Integer, NodeState> now = new HashMap<>();
    for (NodeInfo n : nodes) {
      now.put(n.id(), n.state());
      NodeState before = last.get(n.id());
      if (before == null) {
        metrics.nodeSelection.labelValues(cluster.nodeLabel(n.id())); // shows every node, at 0 until chosen
      }
      if (before == null || before == n.state()) {
        continue;
      }
      if (n.state() == NodeState.DEAD) {
        metrics.nodeFailures.inc();
      } else if (before == NodeState.DEAD && n.state() == NodeState.ALIVE) {
        metrics.nodeRecoveries.inc();
      }
    }
    last = now;
  }
}
