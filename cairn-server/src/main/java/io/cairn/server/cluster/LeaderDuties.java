package io.cairn.server.cluster;

import io.cairn.cluster.FailureDetector;
import io.cairn.cluster.Heartbeat;
import io.cairn.cluster.HeartbeatReply;
import io.cairn.cluster.NodeLoad;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.ChunkDeletion;
import io.cairn.meta.MetaStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Raft leader does besides leading Raft: it collects heartbeats, decides which nodes are
 * SUSPECT or DEAD (committing each change through Raft so every node agrees), and carries out the chunk
 * deletions that file deletes and overwrites queued.
 *
 * <p>Only the leader acts, so there is one decision-maker; a new leader starts with a fresh failure
 * detector that gives every node a full timeout of grace. {@link #tick()} runs on one scheduler thread;
 * {@link #onHeartbeat} runs on request threads and only touches the (thread-safe) detector.
 */
public final class LeaderDuties {
  private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);
  private static final int DELETION_BATCH = 256;

  private final MetaStore meta;
  private final ClusterMap cluster;
  private final ChunkTransport transport;
  private final ClusterConfig config;
  private final Clock clock;
  private volatile FailureDetector detector;
  private volatile long detectorTerm = -1;

  public LeaderDuties(MetaStore meta, ClusterMap cluster, ChunkTransport transport, ClusterConfig config,
      Clock clock) {
    this.meta = meta;
    this.cluster = cluster;
    this.transport = transport;
    this.config = config;
    this.clock = clock;
  }

  /** Handles a node's heartbeat; NOT_LEADER when this node does not lead. */
  public HeartbeatReply onHeartbeat(Heartbeat hb) {
    FailureDetector d = currentDetector();
    NodeInfo n = cluster.node(hb.nodeId());
    d.heartbeat(new NodeLoad(hb.nodeId(), n.zone(), hb.usedBytes(), hb.freeBytes(), hb.inflight()));
    cluster.updateLoads(List.copyOf(d.loads().values()));
    Map<Integer, Long> ages = new HashMap<>();
    for (NodeInfo node : cluster.nodes()) {
      ages.put(node.id(), d.ageMillis(node.id()));
    }
    return new HeartbeatReply(meta.selfId(), meta.term(), List.copyOf(d.loads().values()), ages);
  }

  /** Milliseconds since a node's last heartbeat as this leader saw it; -1 when unknown or not leader. */
  public long heartbeatAgeMillis(int nodeId) {
    FailureDetector d = detector;
    return d == null || !meta.isLeader() ? -1 : d.ageMillis(nodeId);
  }

  /** One round of leader work; a no-op on followers. */
  public void tick() {
    if (!meta.isLeader()) {
      detector = null;
      return;
    }
    FailureDetector d = currentDetector();
    try {
      applyStateChanges(d);
      collectGarbage();
    } catch (CairnException e) {
      log.info("leader duties postponed: {}", e.getMessage());
    }
  }

  private FailureDetector currentDetector() {
    if (!meta.isLeader()) {
      throw new CairnException(ErrorCode.NOT_LEADER, "node " + meta.selfId() + " is not the leader (leader: "
          + meta.leaderId() + ")");
    }
    long term = meta.term();
    FailureDetector d = detector;
    if (d == null || detectorTerm != term) {
      d = new FailureDetector(clock, config.deadAfter());
      detector = d;
      detectorTerm = term;
      log.info("node {}: leading term {}; watching heartbeats of {} node(s)", meta.selfId(), term,
          cluster.nodes().size());
    }
    return d;
  }

  private void applyStateChanges(FailureDetector d) {
    Map<Integer, NodeState> agreed = new HashMap<>();
    for (NodeInfo n : cluster.nodes()) {
      agreed.put(n.id(), n.state());
    }
    d.retain(agreed.keySet());
    for (Map.Entry<Integer, NodeState> change : d.evaluate(agreed, meta.selfId()).entrySet()) {
      int id = change.getKey();
      long age = d.ageMillis(id);
      meta.setNodeState(id, change.getValue());
      log.info("node {} declared {} (was {}; last heartbeat {})", id, change.getValue(), agreed.get(id),
          age < 0 ? "never seen by this leader" : age + " ms ago");
    }
  }

  private void collectGarbage() {
    List<ChunkDeletion> batch = meta.pendingDeletions(DELETION_BATCH);
    if (batch.isEmpty()) {
      return;
    }
    Map<Integer, NodeState> states = new HashMap<>();
    for (NodeInfo n : cluster.nodes()) {
      states.put(n.id(), n.state());
    }
    List<String> done = new ArrayList<>();
    for (ChunkDeletion del : batch) {
      boolean complete = true;
      for (int node : del.replicas()) {
        NodeState s = states.get(node);
        // A node that is down keeps its copy; its own orphan sweep removes it once it is back.
        if (s == NodeState.ALIVE || s == NodeState.SUSPECT) {
          complete &= transport.remove(node, del.chunkId());
        }
      }
      if (complete) {
        done.add(del.chunkId());
      }
    }
    if (!done.isEmpty()) {
      meta.completeDeletions(done);
      log.info("removed {} deleted chunk(s) from their replicas ({} still queued in this batch)", done.size(),
          batch.size() - done.size());
    }
  }
}
