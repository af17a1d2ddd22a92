package io.cairn.meta;

import io.cairn.common.ClusterView;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The replicated metadata of a Cairn cluster: the namespace (bucket/key -> file record -> chunks ->
 * replica nodes), the node registry and the queue of chunks waiting to be deleted.
 *
 * <p><b>Consistency.</b> Every mutation is a Raft log entry; when a mutating method returns, the change
 * is committed on a majority and applied on this node. Reads marked linearizable observe every mutation
 * that completed (on any node) before the read started. Methods whose name ends in {@code Local} read
 * this node's applied state without a Raft round trip and may be slightly stale.
 *
 * <p><b>Errors.</b> Methods throw {@link io.cairn.common.CairnException}: {@code NO_LEADER} / {@code
 * TIMEOUT} (retryable: the mutation may or may not have been applied, so only idempotent callers
 * retry blindly), {@code ALREADY_EXISTS}, {@code NO_SUCH_BUCKET}, {@code BUCKET_NOT_EMPTY}.
 *
 * <p><b>Threads.</b> Safe for concurrent use; calls block (run them on virtual threads).
 */
public interface MetaStore extends AutoCloseable {

  /** This node's id. */
  int selfId();

  // ---- namespace ----

  /**
   * Commits {@code file} at {@code file.bucket()/file.key()}, creating the bucket if needed. When {@code
   * ifAbsent} is true and a file exists there, throws ALREADY_EXISTS and changes nothing. Otherwise the
   * previous file (if any) is replaced atomically and its chunks are queued for deletion.
   *
   * @return the replaced file, if there was one
   */
  Optional<FileRecord> putFile(FileRecord file, boolean ifAbsent);

  /** Linearizable lookup. */
  Optional<FileRecord> file(String bucket, String key);

  /** Removes the file and queues its chunks for deletion; returns the removed record, if any. */
  Optional<FileRecord> deleteFile(String bucket, String key);

  /** Linearizable listing in key order; throws NO_SUCH_BUCKET when the bucket does not exist. */
  ListPage list(ListQuery query);

  /** Linearizable list of buckets in name order. */
  List<BucketInfo> buckets();

  /** Creates a bucket; true if it was created, false if it already existed. */
  boolean createBucket(String bucket);

  /** Deletes an empty bucket; NO_SUCH_BUCKET if absent, BUCKET_NOT_EMPTY if it holds files. */
  void deleteBucket(String bucket);

  /**
   * Replaces the replica list of one chunk of a file version, if that version is still current
   * (matching fileId). Used by healing; returns false when the file changed meanwhile.
   */
  boolean updateReplicas(String bucket, String key, String fileId, int chunkIndex, List<Integer> replicas);

  /**
   * Master key rotation: stores each entry's new wrapped data key if that file version is still current.
   * One Raft entry for the whole list; returns how many records changed.
   */
  long rewrapKeys(List<KeyRewrap> rewraps);

  // ---- chunk garbage ----

  /** Up to {@code limit} chunks whose files were deleted or overwritten, oldest first (linearizable). */
  List<ChunkDeletion> pendingDeletions(int limit);

  /** Forgets deletions that have been carried out. */
  void completeDeletions(Collection<String> chunkIds);

  /** Of the given chunk ids, those that no file references (linearizable). */
  Set<String> unreferenced(Collection<String> chunkIds);

  /** For each given chunk id that a file references: that file version and the chunk's entry (linearizable). */
  List<ChunkLocation> locate(Collection<String> chunkIds);

  /**
   * Full records of every file, {@code limit} at a time, from this node's applied state without a Raft
   * round trip (may be slightly stale). Used by background work such as healing; {@code cursor} is null
   * to start or the previous page's {@code nextCursor}.
   */
  FileScan scanFilesLocal(String cursor, int limit);

  // ---- node registry ----

  /** Adds or updates a node (addresses, capacity, zone). A new node starts ALIVE; an existing keeps its state. */
  void registerNode(NodeInfo node);

  /** Records an agreed state change of a node. No-op when the state is already {@code state}. */
  void setNodeState(int nodeId, NodeState state);

  /** Removes a DECOMMISSIONED node from the registry (INVALID for any other state); false if absent. */
  void removeNode(int nodeId);

  /**
   * Moves one replica of a chunk from node {@code from} to node {@code to}, if the file version is still
   * current, the chunk still lists {@code from} and does not list {@code to}. Used by the rebalancer;
   * false when anything changed meanwhile (nothing is written then).
   */
  boolean moveReplica(String bucket, String key, String fileId, int chunkIndex, int from, int to);

  /** Linearizable view: leader, term and registered nodes. */
  ClusterView cluster();

  /** This node's applied view of the registry, without a Raft round trip. */
  List<NodeInfo> nodesLocal();

  // ---- Raft role ----

  /** Leader's node id as this node last heard, or 0 when unknown. */
  int leaderId();

  /** Current term as this node knows it. */
  long term();

  boolean isLeader();

  // ---- accounts and bucket owners ----

  /** Accounts, credentials and bucket ownership, replicated with the rest of the metadata. */
  AccessStore access();

  /** The Raft configuration (voters and listeners) as this node last applied it. */
  default RaftMembers raftMembers() {
    return RaftMembers.UNKNOWN;
  }

  /**
   * Asks the leader to change the Raft configuration to exactly these voters and listeners (each id ->
   * host:raftPort). Returns once the new configuration is committed; new members first catch up with
   * the log. Callers decide membership on the leader only; see docs/ARCHITECTURE.md.
   */
  default void setRaftMembers(java.util.Map<Integer, String> voters, java.util.Map<Integer, String> listeners) {
    throw new UnsupportedOperationException("this metadata store has no Raft group");
  }

  /** Registers a listener for leadership and term changes (called on a Ratis thread; must not block). */
  void addListener(RaftListener listener);

  @Override
  void close();
}
