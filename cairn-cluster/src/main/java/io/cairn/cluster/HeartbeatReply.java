package io.cairn.cluster;

import java.util.List;

/**
 * The leader's answer to a heartbeat: who leads, and the latest load of every node so that every node
 * can place chunks with fresh numbers without asking anyone else.
 */
public record HeartbeatReply(int leaderId, long term, List<NodeLoad> loads) {
  public HeartbeatReply {
    loads = List.copyOf(loads);
  }
}
