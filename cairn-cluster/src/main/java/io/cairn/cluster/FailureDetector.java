package io.cairn.cluster;

import io.cairn.common.NodeState;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader's view of heartbeats, turned into state changes for the registry.
 *
 * <p>A node is SUSPECT once no heartbeat arrived for half the dead timeout, and DEAD once none arrived
 * for the whole timeout. Any heartbeat makes it ALIVE again. The detector only proposes changes: the
 * caller commits them through Raft so every node agrees, and reports back what the registry says.
 *
 * <p>A fresh detector (a new leader) gives every node a full timeout of grace from its own start, so a
 * leader change never declares nodes dead just because the new leader had not heard from them yet; a node
 * that appears in the registry later (it joined) gets a full timeout from then.
 *
 * <p>Thread-safe: heartbeats arrive on request threads, {@link #evaluate} runs on the leader's loop.
 */
public final class FailureDetector {
  private final Clock clock;
  private final Duration deadAfter;
  private final long startMillis;
  private final Map<Integer, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<Integer, NodeLoad> loads = new ConcurrentHashMap<>();
  /** When {@link #evaluate} first saw each node in the registry: a node that joins gets a full timeout too. */
  private final Map<Integer, Long> firstListed = new ConcurrentHashMap<>();

  public FailureDetector(Clock clock, Duration deadAfter) {
    this.clock = clock;
    this.deadAfter = deadAfter;
    this.startMillis = clock.millis();
  }

  /** Records a heartbeat and its load report. */
  public void heartbeat(NodeLoad load) {
    lastSeen.put(load.nodeId(), clock.millis());
    loads.put(load.nodeId(), load);
  }

  /** Latest load per node, as reported. */
  public Map<Integer, NodeLoad> loads() {
    return Map.copyOf(loads);
  }

  /** Milliseconds since the node's last heartbeat, or -1 if none was seen by this leader. */
  public long ageMillis(int nodeId) {
    Long seen = lastSeen.get(nodeId);
    return seen == null ? -1 : clock.millis() - seen;
  }

  /**
   * The state each node should have now, for nodes whose agreed state differs.
   *
   * @param agreed the registry's current states
   * @param self this node (the leader), always ALIVE while it runs
   */
  public Map<Integer, NodeState> evaluate(Map<Integer, NodeState> agreed, int self) {
    long now = clock.millis();
    Map<Integer, NodeState> changes = new LinkedHashMap<>();
    for (Map.Entry<Integer, NodeState> e : agreed.entrySet()) {
      int id = e.getKey();
      NodeState current = e.getValue();
      firstListed.putIfAbsent(id, now);
      if (current == NodeState.DECOMMISSIONED) {
        continue;
      }
      NodeState wanted = id == self ? NodeState.ALIVE : stateFor(now - lastSeenOrStart(id));
      if (wanted != current) {
        changes.put(id, wanted);
      }
    }
    return changes;
  }

  /** Forget nodes that are no longer registered. */
  public void retain(Set<Integer> nodeIds) {
    lastSeen.keySet().retainAll(nodeIds);
    loads.keySet().retainAll(nodeIds);
    firstListed.keySet().retainAll(nodeIds);
  }

  private long lastSeenOrStart(int id) {
    Long seen = lastSeen.get(id);
    return seen != null ? seen : Math.max(startMillis, firstListed.getOrDefault(id, startMillis));
  }

  private NodeState stateFor(long silentMillis) {
    if (silentMillis >= deadAfter.toMillis()) {
      return NodeState.DEAD;
    }
    if (silentMillis >= deadAfter.toMillis() / 2) {
      return NodeState.SUSPECT;
    }
    return NodeState.ALIVE;
  }
}
