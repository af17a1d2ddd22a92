package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of Cairn's metadata: applies committed {@link MetaOp}s to a {@link MetaDb}.
 *
 * <h2>Keyspace</h2>
 * One RocksDB, one tag byte per record kind (see {@link Keys}): buckets (name -> created, file count,
 * bytes), files (bucket \0 key -> FileRecord), chunk references (chunkId -> owning bucket\0key\0fileId),
 * the deletion queue (log index + ordinal -> ChunkDeletion, so oldest first) with its by-chunk index,
 * nodes (id -> NodeInfo) and the (term, index) of the last applied entry. RocksDB lives in
 * {@code dir/meta-db}, outside Ratis' state machine directory, because installing a snapshot replaces
 * that directory wholesale.
 *
 * <h2>Apply</h2>
 * Each committed entry becomes one WriteBatch holding its changes and the new lastApplied, written
 * without fsync (the Raft log is the durable record). Apply is deterministic: timestamps travel in the op.
 * Refusals (ALREADY_EXISTS, NO_SUCH_BUCKET, ...) are results, not exceptions, and still advance
 * lastApplied. A local RocksDB failure is thrown out of {@link #applyTransaction}: Ratis then stops this
 * server rather than let its state silently diverge from the other replicas.
 *
 * <h2>Snapshots</h2>
 * {@link #takeSnapshot} (auto-triggered every {@code snapshotEveryEntries}) streams one consistent RocksDB
 * view into {@code snapshot.<term>_<index>} with a CRC32C trailer and the MD5 sidecar Ratis needs to ship
 * it (see {@link SnapshotFile}). A follower too far behind for the retained log receives that file from
 * the leader; Ratis then calls {@link #pause()} and {@link #reinitialize()}, which loads it into RocksDB.
 *
 * <h2>Recovery</h2>
 * On start the database's lastApplied is compared with the newest snapshot: when the snapshot is newer
 * (fresh directory, or RocksDB lost unsynced writes) it is loaded first. Ratis replays the log from the
 * snapshot index on; entries at or below lastApplied are recognised and skipped, so nothing is applied
 * twice. The life cycle (NEW -> STARTING -> RUNNING, RUNNING -> PAUSING -> PAUSED -> STARTING -> RUNNING)
 * is driven here because Ratis asserts on it when installing a snapshot.
 */
final class MetaStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetaStateMachine.class);

  private final int selfId;
  private final MetaDb db;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final RoleWatcher roles;
  private final AtomicInteger snapshotsInstalled = new AtomicInteger();
  private volatile File snapshotDir;
  private volatile DivisionInfo info;

  MetaStateMachine(int selfId, MetaDb db, RoleWatcher roles) {
    this.selfId = selfId;
    this.db = db;
    this.roles = roles;
  }

  /** How many snapshots this node received from a leader since it started. */
  int snapshotsInstalled() {
    return snapshotsInstalled.get();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    snapshotDir = raftStorage.getStorageDir().getStateMachineDir();
    getLifeCycle().startAndTransition(() -> {
      SingleFileSnapshotInfo snap = storage.getLatestSnapshot();
      MetaDb.Applied applied = db.lastApplied();
      if (snap != null && snap.getIndex() > applied.index()) {
        LOG.info("node {}: loading snapshot at index {} (database had applied up to {})", selfId,
            snap.getIndex(), applied.index());
        load(snap);
        applied = db.lastApplied();
      }
      setLastAppliedTermIndex(TermIndex.valueOf(applied.term(), applied.index()));
      LOG.info("node {}: metadata state at index {} (term {})", selfId, applied.index(), applied.term());
    }, IOException.class);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    MetaDb.Applied at = new MetaDb.Applied(entry.getTerm(), entry.getIndex());
    if (at.index() <= getLastAppliedTermIndex().getIndex()) {
      // Replayed from the log after a restart; RocksDB already holds its effect.
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    MetaResult result;
    try {
      MetaOp op = MetaCodec.decodeOp(entry.getStateMachineLogEntry().getLogData().toByteArray());
      if (op instanceof MetaOp.Mutation m) {
        result = MetaApplier.apply(db, m, at);
      } else {
        MetaApplier.skip(db, at);
        result = new MetaResult.Failure(ErrorCode.INVALID_ARGUMENT, "a query was sent as a write");
      }
    } catch (CairnException e) {
      if (e.retryable()) {
        LOG.error("node {}: cannot apply entry {}; stopping this replica", selfId, at.index(), e);
        throw e;
      }
      // Undecodable entry: every replica sees the same bytes, so every replica refuses it alike.
      MetaApplier.skip(db, at);
      result = MetaResult.failure(e);
    }
    if (result == null) {
      return CompletableFuture.completedFuture(Message.EMPTY); // RocksDB was ahead after all
    }
    updateLastAppliedTermIndex(at.term(), at.index());
    if (result instanceof MetaResult.FileResult removed && removed.file() != null) {
      roles.fileVersionRemoved(removed.file());
    }
    return CompletableFuture.completedFuture(message(result));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // Configuration and no-op entries do not reach applyTransaction; recording them keeps RocksDB's
    // lastApplied equal to Ratis' view, so snapshots and replays line up.
    if (index > getLastAppliedTermIndex().getIndex()) {
      MetaApplier.skip(db, new MetaDb.Applied(term, index));
      super.notifyTermIndexUpdated(term, index);
    }
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    MetaResult result;
    try {
      MetaOp op = MetaCodec.decodeOp(request.getContent().toByteArray());
      result = op instanceof MetaOp.Query q ? MetaQueries.run(db, q)
          : new MetaResult.Failure(ErrorCode.INVALID_ARGUMENT, "a write was sent as a read");
    } catch (CairnException e) {
      result = MetaResult.failure(e);
    } catch (RuntimeException e) {
      result = new MetaResult.Failure(ErrorCode.INTERNAL, "query failed: " + e);
    }
    return CompletableFuture.completedFuture(message(result));
  }

  @Override
  public long takeSnapshot() throws IOException {
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    MetaDb.Applied applied = db.lastApplied();
    if (applied.index() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    if (latest != null && latest.getIndex() >= applied.index()) {
      return latest.getIndex();
    }
    long start = System.nanoTime();
    SnapshotFile.Written w = SnapshotFile.write(db, snapshotDir.toPath());
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(w.file(), w.md5()),
        w.applied().term(), w.applied().index()));
    LOG.info("node {}: snapshot at index {} written ({} entries, {} ms)", selfId, w.applied().index(),
        w.entries(), (System.nanoTime() - start) / 1_000_000);
    return w.applied().index();
  }

  @Override
  public void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
      lc.startAndTransition(this::loadInstalledSnapshot, IOException.class);
    } else {
      loadInstalledSnapshot();
    }
  }

  private void loadInstalledSnapshot() throws IOException {
    // Ratis replaced the state machine directory with the leader's snapshot; find it again.
    SingleFileSnapshotInfo snap = storage.loadLatestSnapshot();
    if (snap == null) {
      return;
    }
    LOG.info("node {}: installing snapshot at index {}", selfId, snap.getIndex());
    load(snap);
    setLastAppliedTermIndex(snap.getTermIndex());
    snapshotsInstalled.incrementAndGet();
  }

  private void load(SingleFileSnapshotInfo snap) throws IOException {
    long start = System.nanoTime();
    SnapshotFile.load(snap.getFile().getPath(), new MetaDb.Applied(snap.getTerm(), snap.getIndex()), db);
    LOG.info("node {}: snapshot at index {} loaded in {} ms", selfId, snap.getIndex(),
        (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    if (newLeaderId != null) {
      roles.leaderKnown(RaftSettings.nodeId(newLeaderId));
    }
  }

  long term() {
    DivisionInfo d = info();
    return d == null ? 0 : d.getCurrentTerm();
  }

  /** This node's Raft role information, or null before the server is up. */
  DivisionInfo info() {
    DivisionInfo d = info;
    if (d == null && getServer().isDone()) {
      try {
        d = getServer().join().getDivision(getGroupId()).getInfo();
        info = d;
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return d;
  }

  @Override
  public void close() {
    getLifeCycle().checkStateAndClose(db::close);
  }

  private static Message message(MetaResult r) {
    return Message.valueOf(ByteString.copyFrom(MetaCodec.encodeResult(r)));
  }
}
