package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Applies one committed {@link MetaOp.Mutation} to a {@link MetaDb} as a single WriteBatch that also
 * carries the entry's (term, index). Everything here must be deterministic: it reads only the op and the
 * applied state, never a clock or a random source, so every replica computes the same batch.
 *
 * <p>Refusals (ALREADY_EXISTS, NO_SUCH_BUCKET, ...) change nothing but lastApplied and come back as a
 * {@link MetaResult.Failure}.
 */
final class MetaApplier {
  private final MetaDb db;
  private final WriteBatch batch;
  private final long index;
  private int deletionOrdinal;

  private MetaApplier(MetaDb db, WriteBatch batch, long index) {
    this.db = db;
    this.batch = batch;
    this.index = index;
  }

  /**
   * Applies {@code op} as log entry {@code at}. Returns null, changing nothing, when the entry is at or
   * below lastApplied: it is being replayed from the Raft log after a restart and is already in RocksDB.
   */
  static MetaResult apply(MetaDb db, MetaOp.Mutation op, MetaDb.Applied at) {
    if (at.index() <= db.lastApplied().index()) {
      return null;
    }
    MetaResult result;
    try (WriteBatch batch = new WriteBatch()) {
      try {
        result = new MetaApplier(db, batch, at.index()).run(op);
      } catch (CairnException e) {
        if (e.retryable()) {
          throw e; // a local fault (RocksDB, corrupt value), not a refusal every replica would agree on
        }
        batch.clear();
        result = MetaResult.failure(e);
      }
      db.commit(batch, at);
    }
    return result;
  }

  /** Records {@code at} as applied without any change, for log entries that carry no op of ours. */
  static void skip(MetaDb db, MetaDb.Applied at) {
    if (at.index() > db.lastApplied().index()) {
      try (WriteBatch batch = new WriteBatch()) {
        db.commit(batch, at);
      }
    }
  }

  private MetaResult run(MetaOp.Mutation op) {
    return switch (op) {
      case MetaOp.PutFile p -> putFile(p);
      case MetaOp.DeleteFile d -> deleteFile(d);
      case MetaOp.CreateBucket c -> createBucket(c);
      case MetaOp.DeleteBucket d -> deleteBucket(d);
      case MetaOp.UpdateReplicas u -> updateReplicas(u);
      case MetaOp.CompleteDeletions c -> completeDeletions(c);
      case MetaOp.RegisterNode r -> registerNode(r.node());
      case MetaOp.SetNodeState s -> setNodeState(s);
      case MetaOp.AccountMutation a -> AccountApplier.run(db, this::put, this::delete, a);
      case MetaOp.RewrapKeys r -> rewrapKeys(r);
      case MetaOp.RemoveNode r -> removeNode(r);
      case MetaOp.MoveReplica m -> moveReplica(m);
    };
  }

  private MetaResult putFile(MetaOp.PutFile p) {
    FileRecord f = p.file();
    FileRecord old = db.get(Keys.file(f.bucket(), f.key()), FileRecord.class);
    boolean sameVersion = old != null && old.fileId().equals(f.fileId());
    if (old != null && p.ifAbsent()) {
      if (sameVersion) {
        // A retry of a put that did commit (the first reply was lost): succeed without a change.
        return new MetaResult.FileResult(null);
      }
      throw new CairnException(ErrorCode.ALREADY_EXISTS, f.bucket() + "/" + f.key() + " already exists");
    }
    BucketInfo b = db.get(Keys.bucket(f.bucket()), BucketInfo.class);
    if (b == null) {
      b = new BucketInfo(f.bucket(), p.nowMillis(), 0, 0);
    }
    long files = b.files() + (old == null ? 1 : 0);
    long bytes = b.bytes() + f.size() - (old == null ? 0 : old.size());
    put(Keys.bucket(f.bucket()), b.withCounts(files, bytes));

    Set<String> keep = new HashSet<>();
    for (ChunkRef c : f.chunks()) {
      keep.add(c.chunkId());
    }
    if (old != null) {
      String oldOwner = Keys.owner(old.bucket(), old.key(), old.fileId());
      for (ChunkRef c : old.chunks()) {
        if (!keep.contains(c.chunkId())) {
          release(c, oldOwner, p.nowMillis());
        }
      }
    }
    byte[] owner = Keys.owner(f.bucket(), f.key(), f.fileId()).getBytes(StandardCharsets.UTF_8);
    for (String chunkId : keep) {
      put(Keys.chunk(chunkId), owner);
      // Referenced again: it must not be deleted any more.
      dequeue(chunkId);
    }
    put(Keys.file(f.bucket(), f.key()), f);
    return new MetaResult.FileResult(sameVersion ? null : old);
  }

  private MetaResult deleteFile(MetaOp.DeleteFile d) {
    byte[] fk = Keys.file(d.bucket(), d.key());
    FileRecord old = db.get(fk, FileRecord.class);
    if (old == null) {
      return new MetaResult.FileResult(null);
    }
    BucketInfo b = db.get(Keys.bucket(d.bucket()), BucketInfo.class);
    if (b != null) {
      put(Keys.bucket(d.bucket()), b.withCounts(Math.max(0, b.files() - 1), Math.max(0, b.bytes() - old.size())));
    }
    String owner = Keys.owner(old.bucket(), old.key(), old.fileId());
    for (ChunkRef c : old.chunks()) {
      release(c, owner, d.nowMillis());
    }
    delete(fk);
    return new MetaResult.FileResult(old);
  }

  private MetaResult createBucket(MetaOp.CreateBucket c) {
    if (db.get(Keys.bucket(c.bucket())) != null) {
      return new MetaResult.Flag(false);
    }
    put(Keys.bucket(c.bucket()), new BucketInfo(c.bucket(), c.nowMillis(), 0, 0, c.owner()));
    return new MetaResult.Flag(true);
  }

  private MetaResult deleteBucket(MetaOp.DeleteBucket d) {
    if (db.get(Keys.bucket(d.bucket())) == null) {
      throw new CairnException(ErrorCode.NO_SUCH_BUCKET, "no bucket " + d.bucket());
    }
    byte[] files = Keys.filePrefix(d.bucket(), "");
    boolean[] any = {false};
    db.scan(files, files, (k, v) -> {
      any[0] = true;
      return false;
    });
    if (any[0]) {
      throw new CairnException(ErrorCode.BUCKET_NOT_EMPTY, "bucket " + d.bucket() + " is not empty");
    }
    delete(Keys.bucket(d.bucket()));
    return new MetaResult.Flag(true);
  }

  private MetaResult updateReplicas(MetaOp.UpdateReplicas u) {
    FileRecord f = db.get(Keys.file(u.bucket(), u.key()), FileRecord.class);
    if (f == null || !f.fileId().equals(u.fileId())) {
      return new MetaResult.Flag(false);
    }
    List<ChunkRef> chunks = new ArrayList<>(f.chunks());
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.get(i).index() == u.chunkIndex()) {
        chunks.set(i, chunks.get(i).withReplicas(u.replicas()));
        put(Keys.file(u.bucket(), u.key()), f.withChunks(chunks));
        return new MetaResult.Flag(true);
      }
    }
    return new MetaResult.Flag(false);
  }

  private MetaResult moveReplica(MetaOp.MoveReplica m) {
    FileRecord f = db.get(Keys.file(m.bucket(), m.key()), FileRecord.class);
    if (f == null || !f.fileId().equals(m.fileId())) {
      return new MetaResult.Flag(false);
    }
    List<ChunkRef> chunks = new ArrayList<>(f.chunks());
    for (int i = 0; i < chunks.size(); i++) {
      ChunkRef c = chunks.get(i);
      if (c.index() != m.chunkIndex()) {
        continue;
      }
      if (!c.replicas().contains(m.from()) || c.replicas().contains(m.to())) {
        return new MetaResult.Flag(false);
      }
      List<Integer> replicas = new ArrayList<>(c.replicas());
      replicas.set(replicas.indexOf(m.from()), m.to());
      chunks.set(i, c.withReplicas(replicas));
      put(Keys.file(m.bucket(), m.key()), f.withChunks(chunks));
      return new MetaResult.Flag(true);
    }
    return new MetaResult.Flag(false);
  }

  private MetaResult completeDeletions(MetaOp.CompleteDeletions c) {
    boolean any = false;
    for (String chunkId : new LinkedHashSet<>(c.chunkIds())) {
      any |= dequeue(chunkId);
    }
    return new MetaResult.Flag(any);
  }

  private MetaResult rewrapKeys(MetaOp.RewrapKeys r) {
    long changed = 0;
    for (KeyRewrap w : r.files()) {
      byte[] fk = Keys.file(w.bucket(), w.key());
      FileRecord f = db.get(fk, FileRecord.class);
      if (f != null && f.fileId().equals(w.fileId()) && !f.wrappedKey().equals(w.wrappedKey())) {
        put(fk, f.withWrappedKey(w.wrappedKey()));
        changed++;
      }
    }
    return new MetaResult.Count(changed);
  }

  private MetaResult registerNode(NodeInfo n) {
    NodeInfo existing = db.get(Keys.node(n.id()), NodeInfo.class);
    NodeState state = existing == null ? NodeState.ALIVE : existing.state();
    put(Keys.node(n.id()), n.withState(state));
    return new MetaResult.Flag(existing == null);
  }

  private MetaResult setNodeState(MetaOp.SetNodeState s) {
    NodeInfo existing = db.get(Keys.node(s.nodeId()), NodeInfo.class);
    if (existing == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no node " + s.nodeId() + " is registered");
    }
    if (existing.state() == s.state()) {
      return new MetaResult.Flag(false);
    }
    put(Keys.node(s.nodeId()), existing.withState(s.state()));
    return new MetaResult.Flag(true);
  }

  private MetaResult removeNode(MetaOp.RemoveNode r) {
    NodeInfo existing = db.get(Keys.node(r.nodeId()), NodeInfo.class);
    if (existing == null) {
      return new MetaResult.Flag(false);
    }
    if (existing.state() != NodeState.DECOMMISSIONED) {
      throw CairnException.invalid("node " + r.nodeId() + " is " + existing.state()
          + "; only a DECOMMISSIONED (drained) node can leave the registry");
    }
    delete(Keys.node(r.nodeId()));
    return new MetaResult.Flag(true);
  }

  /** Drops {@code owner}'s reference to a chunk and queues the chunk for deletion. */
  private void release(ChunkRef c, String owner, long nowMillis) {
    byte[] ref = db.get(Keys.chunk(c.chunkId()));
    if (ref != null && !owner.equals(new String(ref, StandardCharsets.UTF_8))) {
      return; // another file owns this chunk now; it is not garbage
    }
    delete(Keys.chunk(c.chunkId()));
    if (db.get(Keys.deletionByChunk(c.chunkId())) == null) {
      byte[] seq = Keys.deletion(index, deletionOrdinal++);
      put(seq, new ChunkDeletion(c.chunkId(), c.replicas(), nowMillis));
      put(Keys.deletionByChunk(c.chunkId()), seq);
    }
  }

  /** Removes a chunk from the deletion queue; true if it was queued. */
  private boolean dequeue(String chunkId) {
    byte[] seq = db.get(Keys.deletionByChunk(chunkId));
    if (seq == null) {
      return false;
    }
    delete(seq);
    delete(Keys.deletionByChunk(chunkId));
    return true;
  }

  void put(byte[] key, Object value) {
    put(key, MetaCodec.value(value));
  }

  private void put(byte[] key, byte[] value) {
    try {
      batch.put(key, value);
    } catch (RocksDBException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot stage metadata write: " + e.getMessage(), e);
    }
  }

  void delete(byte[] key) {
    try {
      batch.delete(key);
    } catch (RocksDBException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot stage metadata delete: " + e.getMessage(), e);
    }
  }
}
