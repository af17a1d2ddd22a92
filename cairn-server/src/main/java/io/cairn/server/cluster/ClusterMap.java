package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.cluster.NodeLoad;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.MetaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's picture of the cluster for the data path: who is registered and alive (the replicated
 * registry), how full each node is (the leader's heartbeat replies, plus bytes this node placed since),
 * and how many requests this node has in flight to each peer (for least-loaded reads).
 *
 * <p>Thread-safe; all state is in concurrent maps and atomics, no locks.
 */
public final class ClusterMap {
  private final MetaStore meta;
  private final ChunkStore localStore;
  private final int selfId;
  private final Map<Integer, NodeLoad> reported = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> placedSinceReport = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> inflight = new ConcurrentHashMap<>();
  private volatile Map<Integer, Long> heartbeatAges = Map.of();
  private volatile long agesReceivedMillis;

  public ClusterMap(MetaStore meta, ChunkStore localStore, int selfId) {
    this.meta = meta;
    this.localStore = localStore;
    this.selfId = selfId;
  }

  public int selfId() {
    return selfId;
  }

  public List<NodeInfo> nodes() {
    return meta.nodesLocal();
  }

  public NodeInfo node(int id) {
    for (NodeInfo n : meta.nodesLocal()) {
      if (n.id() == id) {
        return n;
      }
    }
    throw new CairnException(ErrorCode.UNAVAILABLE, "node " + id + " is not registered");
  }

  /** The label metrics use for a node: its advertised host:port, as the seed's node_ip label. */
  public String nodeLabel(int id) {
    for (NodeInfo n : meta.nodesLocal()) {
      if (n.id() == id) {
        return java.net.URI.create(n.httpAddress()).getAuthority();
      }
    }
    return "node-" + id;
  }

  /** Ids of nodes the registry says are ALIVE. */
  public List<Integer> aliveIds() {
    List<Integer> ids = new ArrayList<>();
    for (NodeInfo n : meta.nodesLocal()) {
      if (n.state() == NodeState.ALIVE) {
        ids.add(n.id());
      }
    }
    return ids;
  }

  /** Loads of every node in {@code state}, for placement. */
  public List<NodeLoad> writeCandidates(NodeState state) {
    List<NodeLoad> out = new ArrayList<>();
    for (NodeInfo n : meta.nodesLocal()) {
      if (n.state() == state) {
        out.add(load(n));
      }
    }
    return out;
  }

  /** Loads of every ALIVE node, for placement. */
  public List<NodeLoad> writeCandidates() {
    return writeCandidates(NodeState.ALIVE);
  }

  /** Ids of nodes that may take writes: ALIVE, or SUSPECT (late heartbeats, possibly just slow). */
  public List<Integer> writableIds() {
    List<Integer> ids = new ArrayList<>();
    for (NodeInfo n : meta.nodesLocal()) {
      if (n.state() == NodeState.ALIVE || n.state() == NodeState.SUSPECT) {
        ids.add(n.id());
      }
    }
    return ids;
  }

  /** The latest known load of a node, with this node's own numbers always fresh. */
  public NodeLoad load(NodeInfo n) {
    int id = n.id();
    if (id == selfId) {
      return new NodeLoad(id, n.zone(), localStore.usedBytes(), localStore.freeBytes(), inflight(id));
    }
    NodeLoad r = reported.get(id);
    long placed = placedSinceReport.computeIfAbsent(id, k -> new AtomicLong()).get();
    if (r == null) {
      return new NodeLoad(id, n.zone(), placed, Math.max(0, n.capacityBytes() - placed), inflight(id));
    }
    return new NodeLoad(id, n.zone(), r.usedBytes() + placed, Math.max(0, r.freeBytes() - placed), inflight(id));
  }

  /** Replaces reported loads with the leader's latest table. */
  public void updateLoads(List<NodeLoad> loads) {
    for (NodeLoad l : loads) {
      reported.put(l.nodeId(), l);
      placedSinceReport.computeIfAbsent(l.nodeId(), k -> new AtomicLong()).set(0);
    }
  }

  /** Adopts the leader's heartbeat ages, stamped with when this node received them. */
  public void updateHeartbeatAges(Map<Integer, Long> ages, long receivedMillis) {
    heartbeatAges = Map.copyOf(ages);
    agesReceivedMillis = receivedMillis;
  }

  /** Milliseconds since the leader last heard from a node, as of now; -1 when unknown. */
  public long heartbeatAgeMillis(int nodeId, long nowMillis) {
    Long age = heartbeatAges.get(nodeId);
    return age == null || age < 0 ? -1 : age + Math.max(0, nowMillis - agesReceivedMillis);
  }

  /** Notes that {@code bytes} were just placed on a node, until its next load report. */
  public void placed(int nodeId, long bytes) {
    placedSinceReport.computeIfAbsent(nodeId, k -> new AtomicLong()).addAndGet(bytes);
  }

  public int inflight(int nodeId) {
    AtomicInteger c = inflight.get(nodeId);
    return c == null ? 0 : c.get();
  }

  /** Counts a request to a node while the returned handle is open. */
  public Inflight track(int nodeId) {
    AtomicInteger c = inflight.computeIfAbsent(nodeId, k -> new AtomicInteger());
    c.incrementAndGet();
    return c::decrementAndGet;
  }

  /** Total requests this node has in flight to any node. */
  public int totalInflight() {
    int sum = 0;
    for (AtomicInteger c : inflight.values()) {
      sum += c.get();
    }
    return sum;
  }

  /** A scope that ends an in-flight count. */
  @FunctionalInterface
  public interface Inflight extends AutoCloseable {
    @Override
    void close();
  }
}
