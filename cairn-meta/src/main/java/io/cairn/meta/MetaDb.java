package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The applied metadata state in one RocksDB (layout in {@link Keys}), with the (term, index) of the last
 * applied log entry stored in the same database and written in the same batch as that entry's changes.
 *
 * <p>Writes do not fsync: the Raft log is the durable record, and whatever RocksDB loses in a crash is
 * re-applied from it on restart (entries at or below {@link #lastApplied()} are skipped).
 *
 * <p>Every call holds a read lock; {@link #replaceAll} (loading a snapshot) and {@link #close} take the
 * write lock, so no reader ever sees a half-loaded snapshot or a closed native handle.
 */
final class MetaDb implements AutoCloseable {
  /** Position of the last applied log entry; index -1 means nothing applied. */
  record Applied(long term, long index) {
    static final Applied NONE = new Applied(0, -1);

    byte[] bytes() {
      return ByteBuffer.allocate(16).putLong(term).putLong(index).array();
    }

    static Applied of(byte[] b) {
      if (b == null) {
        return NONE;
      }
      ByteBuffer buf = ByteBuffer.wrap(b);
      return new Applied(buf.getLong(), buf.getLong());
    }
  }

  static {
    RocksDB.loadLibrary();
  }

  private static final int LOAD_BATCH = 1_000;

  private final Path dir;
  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private MetaDb(Path dir, Options options, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.writeOptions = new WriteOptions().setSync(false);
  }

  static MetaDb open(Path dir) {
    Options options = new Options().setCreateIfMissing(true);
    try {
      Files.createDirectories(dir);
      return new MetaDb(dir, options, RocksDB.open(options, dir.toString()));
    } catch (Exception e) {
      options.close();
      throw new CairnException(ErrorCode.INTERNAL, "cannot open metadata database in " + dir + ": " + e, e);
    }
  }

  Path dir() {
    return dir;
  }

  Applied lastApplied() {
    return Applied.of(get(Keys.LAST_APPLIED));
  }

  byte[] get(byte[] key) {
    Lock l = readLock();
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw failed("read", e);
    } finally {
      l.unlock();
    }
  }

  <T> T get(byte[] key, Class<T> type) {
    byte[] v = get(key);
    return v == null ? null : MetaCodec.value(v, type);
  }

  /**
   * Visits entries from {@code seek} on while their key starts with {@code prefix}, until the visitor
   * returns false. The scan reads one consistent RocksDB snapshot.
   */
  void scan(byte[] seek, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    Lock l = readLock();
    Snapshot snap = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snap); RocksIterator it = db.newIterator(ro)) {
      for (it.seek(seek); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!Keys.startsWith(k, prefix) || !visitor.test(k, it.value())) {
          break;
        }
      }
    } finally {
      db.releaseSnapshot(snap);
      l.unlock();
    }
  }

  /** Writes {@code batch} plus the new lastApplied atomically. */
  void commit(WriteBatch batch, Applied applied) {
    Lock l = readLock();
    try {
      batch.put(Keys.LAST_APPLIED, applied.bytes());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw failed("write", e);
    } finally {
      l.unlock();
    }
  }

  /** Visits every entry of one consistent snapshot and returns the lastApplied that snapshot holds. */
  Applied dump(BiPredicate<byte[], byte[]> sink) {
    Lock l = readLock();
    Snapshot snap = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snap); RocksIterator it = db.newIterator(ro)) {
      Applied applied = Applied.of(db.get(ro, Keys.LAST_APPLIED));
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (!sink.test(it.key(), it.value())) {
          break;
        }
      }
      return applied;
    } catch (RocksDBException e) {
      throw failed("snapshot read", e);
    } finally {
      db.releaseSnapshot(snap);
      l.unlock();
    }
  }

  /**
   * Replaces the whole state by {@code entries} and records {@code applied}. lastApplied is written
   * last, so a crash half-way leaves it absent (index -1) and the next start loads the snapshot again.
   */
  void replaceAll(Applied applied, Iterator<Map.Entry<byte[], byte[]>> entries) {
    lock.writeLock().lock();
    try {
      checkOpen();
      db.deleteRange(writeOptions, Keys.ALL_FROM, Keys.ALL_TO);
      WriteBatch batch = new WriteBatch();
      try {
        while (entries.hasNext()) {
          Map.Entry<byte[], byte[]> e = entries.next();
          if (!Arrays.equals(e.getKey(), Keys.LAST_APPLIED)) {
            batch.put(e.getKey(), e.getValue());
          }
          if (batch.count() >= LOAD_BATCH) {
            db.write(writeOptions, batch);
            batch.close();
            batch = new WriteBatch();
          }
        }
        batch.put(Keys.LAST_APPLIED, applied.bytes());
        db.write(writeOptions, batch);
      } finally {
        batch.close();
      }
      // The range delete left tombstones over the whole keyspace; compacting now keeps reads fast.
      db.compactRange();
    } catch (RocksDBException e) {
      throw failed("snapshot load", e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        db.syncWal();
      } catch (RocksDBException e) {
        // Nothing lost that the Raft log cannot give back on the next start.
      }
      db.close();
      writeOptions.close();
      options.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Lock readLock() {
    Lock l = lock.readLock();
    l.lock();
    if (closed) {
      l.unlock();
      throw closedError();
    }
    return l;
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private CairnException closedError() {
    return new CairnException(ErrorCode.UNAVAILABLE, "metadata database " + dir + " is closed");
  }

  private CairnException failed(String what, RocksDBException e) {
    return new CairnException(ErrorCode.INTERNAL, "metadata database " + what + " failed: " + e.getMessage(), e);
  }
}
