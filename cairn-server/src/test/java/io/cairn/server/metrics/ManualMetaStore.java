package io.cairn.server.metrics;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.BucketInfo;
import io.cairn.meta.ChunkDeletion;
import io.cairn.meta.MetaStore;
import io.cairn.meta.RaftListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A MetaStore whose registry, leadership and failures the test sets by hand. Mutations succeed (and
 * change the registry where they concern nodes) unless {@link #failWith} armed an exception.
 */
public final class ManualMetaStore implements MetaStore {
  public final List<NodeInfo> nodes = new CopyOnWriteArrayList<>();
  final List<RaftListener> listeners = new CopyOnWriteArrayList<>();
  volatile int selfId = 1;
  volatile int leaderId = 1;
  volatile long term = 1;
  volatile CairnException failure;

  public static NodeInfo node(int id, String httpAddress, String internalAddress, NodeState state) {
    return new NodeInfo(id, httpAddress, internalAddress, "127.0.0.1:" + (9870 + id), 1L << 40, "", state);
  }

  public ManualMetaStore failWith(CairnException e) {
    this.failure = e;
    return this;
  }

  void setState(int id, NodeState state) {
    for (int i = 0; i < nodes.size(); i++) {
      NodeInfo n = nodes.get(i);
      if (n.id() == id) {
        nodes.set(i, new NodeInfo(n.id(), n.httpAddress(), n.internalAddress(), n.raftAddress(), n.capacityBytes(),
            n.zone(), state));
      }
    }
  }

  private void mutate() {
    CairnException e = failure;
    if (e != null) {
      throw e;
    }
  }

  @Override
  public int selfId() {
    return selfId;
  }

  @Override
  public Optional<FileRecord> putFile(FileRecord file, boolean ifAbsent) {
    mutate();
    return Optional.empty();
  }

  @Override
  public Optional<FileRecord> file(String bucket, String key) {
    return Optional.empty();
  }

  @Override
  public Optional<FileRecord> deleteFile(String bucket, String key) {
    mutate();
    return Optional.empty();
  }

  @Override
  public ListPage list(ListQuery query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<BucketInfo> buckets() {
    return List.of();
  }

  @Override
  public boolean createBucket(String bucket) {
    mutate();
    return true;
  }

  @Override
  public void deleteBucket(String bucket) {
    mutate();
  }

  @Override
  public boolean updateReplicas(String bucket, String key, String fileId, int chunkIndex, List<Integer> replicas) {
    mutate();
    return true;
  }

  @Override
  public long rewrapKeys(List<io.cairn.meta.KeyRewrap> rewraps) {
    mutate();
    return rewraps.size();
  }

  @Override
  public List<ChunkDeletion> pendingDeletions(int limit) {
    return List.of();
  }

  @Override
  public void completeDeletions(Collection<String> chunkIds) {
    mutate();
  }

  @Override
  public void removeNode(int nodeId) {
    mutate();
  }

  @Override
  public boolean moveReplica(String bucket, String key, String fileId, int chunkIndex, int from, int to) {
    mutate();
    return true;
  }

  @Override
  public Set<String> unreferenced(Collection<String> chunkIds) {
    return Set.copyOf(chunkIds);
  }

  @Override
  public java.util.List<io.cairn.meta.ChunkLocation> locate(Collection<String> chunkIds) {
    return java.util.List.of();
  }

  @Override
  public io.cairn.meta.FileScan scanFilesLocal(String cursor, int limit) {
    return new io.cairn.meta.FileScan(java.util.List.of(), null);
  }

  @Override
  public void registerNode(NodeInfo node) {
    mutate();
    nodes.removeIf(n -> n.id() == node.id());
    nodes.add(node);
  }

  @Override
  public void setNodeState(int nodeId, NodeState state) {
    mutate();
    setState(nodeId, state);
  }

  @Override
  public ClusterView cluster() {
    return new ClusterView(leaderId, term, new ArrayList<>(nodes));
  }

  @Override
  public List<NodeInfo> nodesLocal() {
    return new ArrayList<>(nodes);
  }

  @Override
  public int leaderId() {
    return leaderId;
  }

  @Override
  public long term() {
    return term;
  }

  @Override
  public boolean isLeader() {
    return leaderId == selfId;
  }

  @Override
  public io.cairn.meta.AccessStore access() {
    throw new UnsupportedOperationException("accounts are not simulated here");
  }

  @Override
  public void addListener(RaftListener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {}
}
