package io.cairn.common;

import static java.util.Objects.requireNonNull;

/**
 * A node as recorded in the replicated registry.
 *
 * @param id stable node id (1, 2, 3, ...)
 * @param httpAddress base URL of the public HTTP gateway, e.g. {@code http://127.0.0.1:8080}
 * @param internalAddress base URL of the internal chunk endpoint peers call
 * @param raftAddress host:port of the node's Raft server
 * @param capacityBytes configured capacity used to weight placement
 * @param zone failure domain label ("" when none)
 * @param state liveness agreed through Raft
 */
public record NodeInfo(
    int id,
    String httpAddress,
    String internalAddress,
    String raftAddress,
    long capacityBytes,
    String zone,
    NodeState state) {
  public NodeInfo {
    requireNonNull(httpAddress, "httpAddress");
    requireNonNull(internalAddress, "internalAddress");
    requireNonNull(raftAddress, "raftAddress");
    requireNonNull(state, "state");
    zone = zone == null ? "" : zone;
    if (id <= 0) {
      throw new IllegalArgumentException("node id must be > 0, was " + id);
    }
  }

  public NodeInfo withState(NodeState s) {
    return new NodeInfo(id, httpAddress, internalAddress, raftAddress, capacityBytes, zone, s);
  }
}
