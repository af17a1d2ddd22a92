package io.cairn.chunk;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChunkStore} keeping one file per chunk under {@code dir/chunks/<first two chars>/<id>}, in the
 * format described in docs/FORMAT.md ("Chunk files").
 *
 * <p><b>Durability.</b> {@link #putAndSync} writes a temp file in {@code dir/tmp}, fsyncs it, renames it
 * into place and fsyncs the chunk's directory before returning. Temp files left by a crash are removed
 * by {@link #open}. Deletes are not fsynced: a blob that reappears after a crash is an orphan the
 * cluster's garbage collection removes again.
 *
 * <p><b>Integrity.</b> {@link #read} checks magic, version, length and CRC32C. A failing file is moved to
 * {@code dir/quarantine/<id>.<UTC timestamp>}, counted, logged at WARN, and reported as
 * CHECKSUM_MISMATCH. A put finding a corrupt blob under its id quarantines it and writes the new one.
 *
 * <p><b>Accounting.</b> {@link #usedBytes} counts payload bytes (headers excluded), scanned at open and
 * kept current by put, delete and quarantine. A put's bytes count as used from the moment it passes the
 * space check.
 *
 * <p><b>Errors.</b> As {@link ChunkStore}, plus ALREADY_EXISTS when a put names an id that holds a valid
 * blob with different content (ids are unique, so that is a caller bug and the stored blob is kept).
 * I/O failures are INTERNAL with the path in the message.
 *
 * <p><b>Threads.</b> Safe for concurrent use, including from virtual threads: operations on one id are
 * serialized by a striped ReentrantLock; reads take no lock unless they must quarantine.
 * {@link #close} releases nothing, since every operation opens and closes its own files.
 */
public final class FileChunkStore implements ChunkStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileChunkStore.class);

  private final ChunkLayout layout;
  private final Quarantine quarantine;
  private final SpaceAccount space;
  private final StripedLocks locks = new StripedLocks(64);
  /** Shard directories whose entry in chunks/ is known to be on disk; see {@link #ensureShard}. */
  private final Set<Path> durableShards = ConcurrentHashMap.newKeySet();

  private FileChunkStore(ChunkStoreConfig config) throws IOException {
    layout = ChunkLayout.under(config.dir());
    layout.create();
    int removed = layout.cleanTmp();
    List<StoredChunk> chunks = layout.scan();
    long used = chunks.stream().mapToLong(StoredChunk::length).sum();
    space = new SpaceAccount(config.dir(), Files.getFileStore(config.dir()), config.capacity().bytes(),
        config.diskReserve().bytes(), used);
    quarantine = new Quarantine(layout.quarantine(), space);
    LOG.info("Opened chunk store {}: {} chunks, {} used, capacity {}, disk reserve {}{}", config.dir(),
        chunks.size(), ByteSize.human(used), config.capacity(), config.diskReserve(),
        removed == 0 ? "" : "; removed " + removed + " temp files left by an interrupted write");
  }

  /** Opens (creating if needed) the store in {@code config.dir()}. Throws INTERNAL on I/O failure. */
  public static FileChunkStore open(ChunkStoreConfig config) {
    try {
      return new FileChunkStore(config);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not open chunk store " + config.dir() + ": " + e, e);
    }
  }

  @Override
  public void putAndSync(String chunkId, byte[] data, int length, long crc32c) {
    ChunkIds.checkPut(chunkId, data, length);
    String failed = failure;
    if (failed != null) {
      throw new CairnException(ErrorCode.UNAVAILABLE, "data dir " + layout.root() + " failed earlier (" + failed
          + "); this node takes no new chunks until it is repaired and restarted");
    }
    long actual = Checksums.crc32c(data, 0, length);
    if (actual != crc32c) {
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, String.format(
          "chunk %s does not match its checksum (given %08x, computed %08x); nothing written", chunkId, crc32c,
          actual));
    }
    Path target = pathOf(chunkId);
    ReentrantLock lock = locks.forKey(chunkId);
    lock.lock();
    try {
      if (alreadyStored(chunkId, target, length, crc32c)) {
        return;
      }
      space.reserve(chunkId, length);
      boolean written = false;
      try {
        ensureShard(target);
        Path tmp = DurableFiles.writeTemp(layout.tmp(), chunkId + ".",
            ch -> ChunkFileFormat.write(ch, data, length, crc32c));
        DurableFiles.publish(tmp, target);
        written = true;
      } catch (IOException e) {
        if (String.valueOf(e.getMessage()).contains("No space left")) {
          throw new CairnException(ErrorCode.INSUFFICIENT_STORAGE, "disk full writing " + target + ": " + e, e);
        }
        markFailed(e);
        throw ioError("write chunk", target, e);
      } finally {
        // If only the directory fsync failed, the file is in place: keep counting it, or a retry
        // (which finds it and returns at once) would leave it uncounted.
        if (written || Files.exists(target)) {
          space.written(length);
        } else {
          space.failed(length);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] read(String chunkId) {
    Path path = pathOf(ChunkIds.check(chunkId));
    try {
      return readFile(path);
    } catch (NoSuchFileException e) {
      throw notFound(chunkId);
    } catch (IOException e) {
      throw ioError("read chunk", path, e);
    } catch (CorruptChunkException first) {
      return recheckOrQuarantine(chunkId, path);
    }
  }

  @Override
  public boolean contains(String chunkId) {
    return Files.isRegularFile(pathOf(ChunkIds.check(chunkId)));
  }

  @Override
  public boolean delete(String chunkId) {
    Path path = pathOf(ChunkIds.check(chunkId));
    ReentrantLock lock = locks.forKey(chunkId);
    lock.lock();
    try {
      long size = Files.size(path);
      Files.delete(path);
      space.removed(ChunkFileFormat.payloadSize(size));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw ioError("delete chunk", path, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StoredChunk> list() {
    try {
      return layout.scan();
    } catch (IOException e) {
      throw ioError("list chunks in", layout.chunks(), e);
    }
  }

  /** Set once by the first write that fails with an I/O error other than a full disk. */
  private volatile String failure;

  @Override
  public long usedBytes() {
    return space.used();
  }

  @Override
  public long freeBytes() {
    return failure != null ? 0 : space.free();
  }

  @Override
  public java.util.Optional<String> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  private void markFailed(IOException e) {
    if (failure == null) {
      failure = e.toString();
      LOG.error("data dir {} failed ({}); refusing new chunks, still serving the ones it can read", layout.root(),
          e.toString());
    }
  }

  @Override
  public long quarantinedCount() {
    return quarantine.count();
  }

  @Override
  public void close() {
    // Nothing to release: every operation opens and closes its own files.
  }

  @Override
  public String toString() {
    return "FileChunkStore[" + layout.root() + "]";
  }

  /**
   * True when {@code target} already holds this exact blob. A corrupt blob is quarantined so the put can
   * heal it; a valid blob with other content is refused. Caller holds the id's lock.
   */
  private boolean alreadyStored(String chunkId, Path target, int length, long crc32c) {
    byte[] existing;
    try {
      existing = readFile(target);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw ioError("read chunk", target, e);
    } catch (CorruptChunkException e) {
      quarantine.move(chunkId, target, e);
      return false;
    }
    if (existing.length == length && Checksums.crc32c(existing, 0, existing.length) == crc32c) {
      // The first put may have failed at its directory fsync; make sure the name is durable now.
      try {
        DurableFiles.fsyncDir(target.getParent());
      } catch (IOException e) {
        throw ioError("sync directory of chunk", target, e);
      }
      return true;
    }
    throw new CairnException(ErrorCode.ALREADY_EXISTS, "chunk " + chunkId + " already holds different content ("
        + existing.length + " bytes); the stored blob is kept");
  }

  /**
   * Reads again under the id's lock before quarantining: a concurrent put may have healed the blob since
   * the first read, and a valid blob must never be moved away.
   */
  private byte[] recheckOrQuarantine(String chunkId, Path path) {
    ReentrantLock lock = locks.forKey(chunkId);
    lock.lock();
    try {
      return readFile(path);
    } catch (NoSuchFileException e) {
      throw notFound(chunkId);
    } catch (IOException e) {
      throw ioError("read chunk", path, e);
    } catch (CorruptChunkException e) {
      quarantine.move(chunkId, path, e);
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkId + " " + e.getMessage()
          + "; it was quarantined, read another replica");
    } finally {
      lock.unlock();
    }
  }

  private static byte[] readFile(Path path) throws IOException, CorruptChunkException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return ChunkFileFormat.read(ch);
    }
  }

  /**
   * Creates the chunk's shard directory if needed. A new directory's own entry must reach
   * disk before a chunk in it can be called durable, so chunks/ is fsynced once per shard per process.
   */
  private void ensureShard(Path target) throws IOException {
    Path shard = target.getParent();
    if (!durableShards.contains(shard)) {
      Files.createDirectories(shard);
      DurableFiles.fsyncDir(layout.chunks());
      durableShards.add(shard);
    }
  }

  private Path pathOf(String chunkId) {
    return layout.pathOf(chunkId);
  }

  private static CairnException notFound(String chunkId) {
    return new CairnException(ErrorCode.NOT_FOUND, "chunk " + chunkId + " is not stored on this node");
  }

  private static CairnException ioError(String what, Path path, IOException e) {
    return new CairnException(ErrorCode.INTERNAL, "could not " + what + " " + path + ": " + e, e);
  }
}
