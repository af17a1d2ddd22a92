package io.cairn.cluster;

import java.util.List;
import java.util.Map;

/**
 * The leader's answer to a heartbeat: who leads, the latest load of every node (so every node can place
 * chunks with fresh numbers without asking anyone else), and how long ago the leader last heard from
 * each node (node id -> milliseconds; -1 when never).
 */
public record HeartbeatReply(int leaderId, long term, List<NodeLoad> loads, Map<Integer, Long> heartbeatAgeMillis) {
  public HeartbeatReply {
    loads = List.copyOf(loads);
    heartbeatAgeMillis = heartbeatAgeMillis == null ? Map.of() : Map.copyOf(heartbeatAgeMillis);
  }
}
