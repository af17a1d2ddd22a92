package io.cairn.common;

import java.util.List;

/**
 * The cluster as one node sees it.
 *
 * @param leaderId Raft leader's node id, or 0 when none is known
 * @param term current Raft term
 * @param nodes registered nodes with their agreed state
 */
public record ClusterView(int leaderId, long term, List<NodeInfo> nodes) {
  public ClusterView {
    nodes = List.copyOf(nodes);
  }
}
