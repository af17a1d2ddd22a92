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
import io.cairn.meta.ChunkLocation;
import io.cairn.meta.FileScan;
import io.cairn.meta.MetaStore;
import io.cairn.meta.RaftListener;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A MetaStore that counts every metadata change it sends through Raft
 * ({@code metadata_replications_total{status}}) and times its commit. Reads pass straight through.
 * A rejected change (ALREADY_EXISTS, BUCKET_NOT_EMPTY...) was still replicated and applied, so it counts
 * as a success; only changes that could not be committed count as failures.
 *
 * <p>Also exports this node's view of Raft leadership ({@code cairn_raft_term}, {@code cairn_raft_is_leader},
 * {@code cairn_raft_has_leader}) as callback gauges read at scrape time.
 */
public final class CountingMetaStore implements MetaStore {
  private final MetaStore delegate;
  private final Metrics metrics;

  public CountingMetaStore(MetaStore delegate, Metrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
    metrics.gauge("cairn_raft_term", "Raft term this node is in", delegate::term);
    metrics.gauge("cairn_raft_is_leader", "1 while this node is the Raft leader, else 0",
        () -> delegate.isLeader() ? 1 : 0);
    metrics.gauge("cairn_raft_has_leader", "1 while this node knows a Raft leader, else 0",
        () -> delegate.leaderId() != 0 ? 1 : 0);
  }

  private <T> T mutation(Supplier<T> call) {
    long t0 = System.nanoTime();
    try {
      T result = call.get();
      metrics.metadataReplications.labelValues("success").inc();
      return result;
    } catch (CairnException e) {
      boolean committed = !e.retryable();
      metrics.metadataReplications.labelValues(committed ? "success" : "failed").inc();
      throw e;
    } finally {
      metrics.raftCommitDuration.observe((System.nanoTime() - t0) / 1e9);
    }
  }

  private void mutation(Runnable call) {
    mutation(() -> {
      call.run();
      return null;
    });
  }

  @Override
  public int selfId() {
    return delegate.selfId();
  }

  @Override
  public Optional<FileRecord> putFile(FileRecord file, boolean ifAbsent) {
    return mutation(() -> delegate.putFile(file, ifAbsent));
  }

  @Override
  public Optional<FileRecord> file(String bucket, String key) {
    return delegate.file(bucket, key);
  }

  @Override
  public Optional<FileRecord> deleteFile(String bucket, String key) {
    return mutation(() -> delegate.deleteFile(bucket, key));
  }

  @Override
  public ListPage list(ListQuery query) {
    return delegate.list(query);
  }

  @Override
  public List<BucketInfo> buckets() {
    return delegate.buckets();
  }

  @Override
  public boolean createBucket(String bucket) {
    return mutation(() -> delegate.createBucket(bucket));
  }

  @Override
  public void deleteBucket(String bucket) {
    mutation(() -> delegate.deleteBucket(bucket));
  }

  @Override
  public boolean updateReplicas(String bucket, String key, String fileId, int chunkIndex, List<Integer> replicas) {
    return mutation(() -> delegate.updateReplicas(bucket, key, fileId, chunkIndex, replicas));
  }

  @Override
  public long rewrapKeys(List<io.cairn.meta.KeyRewrap> rewraps) {
    return mutation(() -> delegate.rewrapKeys(rewraps));
  }

  @Override
  public List<ChunkDeletion> pendingDeletions(int limit) {
    return delegate.pendingDeletions(limit);
  }

  @Override
  public void completeDeletions(Collection<String> chunkIds) {
    mutation(() -> delegate.completeDeletions(chunkIds));
  }

  @Override
  public Set<String> unreferenced(Collection<String> chunkIds) {
    return delegate.unreferenced(chunkIds);
  }

  @Override
  public List<ChunkLocation> locate(Collection<String> chunkIds) {
    return delegate.locate(chunkIds);
  }

  @Override
  public FileScan scanFilesLocal(String cursor, int limit) {
    return delegate.scanFilesLocal(cursor, limit);
  }

  @Override
  public void registerNode(NodeInfo node) {
    mutation(() -> delegate.registerNode(node));
  }

  @Override
  public void setNodeState(int nodeId, NodeState state) {
    mutation(() -> delegate.setNodeState(nodeId, state));
  }

  @Override
  public void removeNode(int nodeId) {
    mutation(() -> delegate.removeNode(nodeId));
  }

  @Override
  public boolean moveReplica(String bucket, String key, String fileId, int chunkIndex, int from, int to) {
    return mutation(() -> delegate.moveReplica(bucket, key, fileId, chunkIndex, from, to));
  }

  @Override
  public io.cairn.meta.RaftMembers raftMembers() {
    return delegate.raftMembers();
  }

  @Override
  public void setRaftMembers(Map<Integer, String> voters, Map<Integer, String> listeners) {
    delegate.setRaftMembers(voters, listeners);
  }

  @Override
  public ClusterView cluster() {
    return delegate.cluster();
  }

  @Override
  public List<NodeInfo> nodesLocal() {
    return delegate.nodesLocal();
  }

  @Override
  public int leaderId() {
    return delegate.leaderId();
  }

  @Override
  public long term() {
    return delegate.term();
  }

  @Override
  public boolean isLeader() {
    return delegate.isLeader();
  }

  /** Account reads and writes are not counted as metadata replications (they are not file metadata). */
  @Override
  public io.cairn.meta.AccessStore access() {
    return delegate.access();
  }

  @Override
  public void addListener(RaftListener listener) {
    delegate.addListener(listener);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
