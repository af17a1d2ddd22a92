package io.cairn.server.files;

import io.cairn.chunk.ChunkCipher;
import io.cairn.chunk.Envelope;
import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.Names;
import io.cairn.meta.BucketInfo;
import io.cairn.meta.MetaStore;
import io.cairn.server.cluster.ChunkTransport;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path: uploads cut into encrypted, checksummed chunks replicated to several nodes and then
 * committed through Raft; downloads that read only the chunks a range needs.
 *
 * <p><b>Upload.</b> The body is read one chunk at a time into a reused buffer (memory per upload is
 * about (1 + uploadsInFlightPerFile) chunks, whatever the file size). Each chunk is sealed with
 * AES-256-GCM under a fresh per-file data key, its CRC32C taken, and handed to the replicator on a
 * virtual thread while the next chunk is read. The file record is committed only after every chunk is
 * durable on at least the write quorum; a failure before that leaves no visible file, and the chunks
 * already written are deleted (the orphan sweep catches what a crash leaves).
 *
 * <p><b>Download.</b> Chunks are fetched in order with one chunk of read-ahead, each verified and
 * decrypted by {@link ChunkFetcher}.
 */
public final class ReplicatedFileService implements FileService {
  private static final Logger log = LoggerFactory.getLogger(ReplicatedFileService.class);

  private final MetaStore meta;
  private final ClusterMap cluster;
  private final Envelope envelope;
  private final FilesConfig config;
  private final ChunkCache cache;
  private final ChunkReplicator replicator;
  private final ChunkFetcher fetcher;
  private final ChunkJanitor janitor;
  private final Metrics metrics;
  private final ChunkCipher cipher = new ChunkCipher();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  public ReplicatedFileService(MetaStore meta, ClusterMap cluster, ChunkTransport transport, Envelope envelope, FilesConfig config, Consumer<ChunkFetcher.BadReplica> badReplicas, Metrics metrics) {
    this.metrics = metrics;
    this.meta = meta;
    this.cluster = cluster;
    this.envelope = envelope;
    this.config = config;
    this.cache = new ChunkCache(effectiveCacheBytes(config.cacheCapacity().bytes()));
    this.replicator = new ChunkReplicator(cluster, transport, config, metrics);
    this.fetcher = new ChunkFetcher(cluster, transport, cache, badReplicas, metrics);
    this.janitor = new ChunkJanitor(transport);
  }

  /**
   * The configured cache capacity, but never more than a quarter of the heap: the cache holds plaintext
   * chunks on the heap, and a node started with a small heap must still have room to stream uploads.
   */
  static long effectiveCacheBytes(long configured) {
    long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
    if (configured > quarterHeap) {
      log.info("chunk cache limited to {} (a quarter of the {} heap) instead of the configured {}",
          ByteSize.human(quarterHeap), ByteSize.human(Runtime.getRuntime().maxMemory()), ByteSize.human(configured));
      return quarterHeap;
    }
    return configured;
  }

  /**
   * Drops a removed file version's chunks from this node's cache. Every node calls this as it applies the
   * overwrite or delete, so no node keeps the memory (stale data is impossible anyway: chunk ids are
   * unique per version).
   */
  public void forget(FileRecord removed) {
    cache.invalidate(chunkIds(removed));
  }

  public ChunkCache cache() {
    return cache;
  }

  @Override
  public FileRecord put(PutRequest req, InputStream body) {
    Names.checkBucket(req.bucket());
    Names.checkKey(req.key());
    if (req.ifAbsent() && meta.file(req.bucket(), req.key()).isPresent()) {
      throw new CairnException(ErrorCode.ALREADY_EXISTS, "File already exists: " + req.bucket() + "/" + req.key());
    }
    int alive = cluster.writableIds().size();
    if (alive < config.writeQuorum()) {
      throw new CairnException(ErrorCode.INSUFFICIENT_REPLICAS, "only " + alive + " node(s) alive, "
          + config.writeQuorum() + " needed to store a file; nothing was written");
    }
    long started = System.nanoTime();
    UploadState up = new UploadState(req, envelope, config.chunkSize().toIntExact());
    boolean commitSent = false;
    try {
      cutAndReplicate(up, body);
      FileRecord rec = up.record(envelope.wrap(up.dataKey, up.fileId), System.currentTimeMillis());
      commitSent = true;
      Optional<FileRecord> replaced = meta.putFile(rec, req.ifAbsent());
      metrics.replicatedFiles.inc();
      log.info("committed {}/{} ({} bytes, {} chunks) in {} ms{}", rec.bucket(), rec.key(), rec.size(),
          rec.chunks().size(), (System.nanoTime() - started) / 1_000_000, replaced.isPresent() ? ", replacing"
              + " the previous version" : "");
      return rec;
    } catch (RuntimeException e) {
      up.cancel();
      if (!commitSent || commitRefused(e)) {
        janitor.deleteLater(up.written());
      } else {
        // The commit may still be applied (a Raft entry outlives its client's deadline): deleting the
        // chunks now could leave a committed file without data. The orphan sweep removes them after the
        // grace period if, by then, no file references them.
        log.warn("upload of {}/{}: commit outcome unknown ({}); its {} chunk(s) are left for the orphan sweep",
            req.bucket(), req.key(), e.getMessage(), up.written().size());
      }
      throw e;
    }
  }

  /** Whether a failed commit was answered with a refusal, so it certainly did not and will not apply. */
  static boolean commitRefused(RuntimeException e) {
    if (!(e instanceof CairnException ce)) {
      return false;
    }
    return switch (ce.code()) {
      case ALREADY_EXISTS, INVALID_ARGUMENT, PAYLOAD_TOO_LARGE, NOT_FOUND, NO_SUCH_BUCKET -> true;
      default -> false;
    };
  }

  private void cutAndReplicate(UploadState up, InputStream body) {
    byte[] buf = new byte[up.chunkSize];
    while (true) {
      int n = readChunk(body, buf);
      if (n == 0 && up.index > 0) {
        break;
      }
      up.digest(buf, n);
      if (n == 0) {
        break; // zero-byte file: no chunks at all
      }
      byte[] sealed = cipher.seal(up.dataKey, up.fileId, up.index, buf, 0, n);
      if (up.index == 0 && n < buf.length && n <= config.inlineMax().bytes()) {
        up.inline(sealed, n);
        break; // small file: lives in its metadata record
      }
      metrics.shardsCreated.inc();
      metrics.shardSize.observe(n);
      up.submit(workers, sealed, n, replicator, config.uploadsInFlightPerFile());
      if (n < buf.length) {
        break;
      }
    }
    up.awaitAll();
  }

  private static int readChunk(InputStream body, byte[] buf) {
    try {
      return body.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INVALID_ARGUMENT,
          "upload body could not be read to the end (client aborted?): " + e.getMessage(), e);
    }
  }

  @Override
  public FileRecord stat(String bucket, String key) {
    Names.checkBucket(bucket);
    Names.checkKey(key);
    return meta.file(bucket, key).orElseThrow(() ->
        new CairnException(ErrorCode.NO_SUCH_KEY, "no such file: " + bucket + "/" + key));
  }

  @Override
  public void read(FileRecord file, long first, long last, OutputStream out) {
    if (file.size() == 0 || last < first) {
      return;
    }
    if (first < 0 || last >= file.size()) {
      throw new CairnException(ErrorCode.RANGE_NOT_SATISFIABLE,
          "range " + first + "-" + last + " outside 0-" + (file.size() - 1));
    }
    byte[] dataKey = envelope.unwrap(file.wrappedKey(), file.fileId());
    if (file.inline() != null) {
      byte[] sealed = java.util.Base64.getDecoder().decode(file.inline());
      byte[] plain = cipher.open(dataKey, file.fileId(), 0, sealed, sealed.length);
      write(out, plain, first, last - first + 1, file);
      return;
    }
    List<ChunkRef> chunks = file.chunks().stream()
        .filter(c -> c.offset() + c.plainLength() > first && c.offset() <= last)
        .toList();
    Future<byte[]> next = prefetch(file, dataKey, chunks, 0);
    for (int i = 0; i < chunks.size(); i++) {
      byte[] plain = await(next);
      next = i + 1 < chunks.size() ? prefetch(file, dataKey, chunks, i + 1) : null;
      ChunkRef c = chunks.get(i);
      long from = Math.max(first, c.offset()) - c.offset();
      long to = Math.min(last, c.offset() + c.plainLength() - 1) - c.offset();
      try {
        write(out, plain, from, to - from + 1, file);
      } catch (UncheckedIOException e) {
        if (next != null) {
          next.cancel(true);
        }
        throw e;
      }
    }
  }

  private static void write(OutputStream out, byte[] plain, long from, long length, FileRecord file) {
    try {
      out.write(plain, (int) from, (int) length);
    } catch (IOException e) {
      throw new UncheckedIOException("client stopped reading " + file.bucket() + "/" + file.key(), e);
    }
  }

  private Future<byte[]> prefetch(FileRecord file, byte[] dataKey, List<ChunkRef> chunks, int i) {
    ChunkRef c = chunks.get(i);
    return workers.submit(() -> fetcher.plaintext(file.fileId(), dataKey, c));
  }

  private static byte[] await(Future<byte[]> f) {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw CairnException.unwrap(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, "interrupted while reading", e);
    }
  }

  @Override
  public boolean delete(String bucket, String key) {
    Names.checkBucket(bucket);
    Names.checkKey(key);
    Optional<FileRecord> removed = meta.deleteFile(bucket, key);
    removed.ifPresent(r -> log.info("deleted {}/{} ({} chunks queued for removal)", bucket, key,
        r.chunks().size()));
    return removed.isPresent();
  }

  @Override
  public ListPage list(ListQuery query) {
    Names.checkBucket(query.bucket());
    return meta.list(query);
  }

  @Override
  public List<String> buckets() {
    return meta.buckets().stream().map(BucketInfo::name).toList();
  }

  @Override
  public boolean createBucket(String bucket) {
    Names.checkBucket(bucket);
    return meta.createBucket(bucket);
  }

  @Override
  public void deleteBucket(String bucket) {
    Names.checkBucket(bucket);
    meta.deleteBucket(bucket);
  }

  @Override
  public ClusterView cluster() {
    return meta.cluster();
  }

  private static List<String> chunkIds(FileRecord r) {
    return r.chunks().stream().map(ChunkRef::chunkId).toList();
  }
}
