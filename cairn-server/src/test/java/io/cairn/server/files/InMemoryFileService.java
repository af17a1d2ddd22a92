package io.cairn.server.files;

import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.Names;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A {@link FileService} held in maps, for gateway and CLI tests. Honors ifAbsent, byte ranges, and
 * listing by prefix, substring, cursor and limit like the real service.
 *
 * <p>Seams for tests: {@link #discardBodies} counts uploaded bytes without keeping them (reads then
 * return zeros), {@link #onPut} runs when a put starts reading, {@link #failWith} makes every data call
 * fail, {@link #failReadsAfter} breaks downloads midway, and {@link #cluster(ClusterView)} sets what
 * {@link #cluster()} answers.
 */
public final class InMemoryFileService implements FileService {
  private record Stored(FileRecord record, byte[] data) {}

  private final NavigableMap<String, NavigableMap<String, Stored>> buckets = new ConcurrentSkipListMap<>();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final int chunkSize;
  private volatile boolean discardBodies;
  private volatile Consumer<PutRequest> onPut = r -> {};
  private volatile CairnException failure;
  private volatile long failReadsAfterBytes = -1;
  private volatile ClusterView cluster = new ClusterView(1, 1, List.of(
      new NodeInfo(1, "http://127.0.0.1:1", "http://127.0.0.1:1", "127.0.0.1:1", 1L << 40, "",
          NodeState.ALIVE)));

  public InMemoryFileService(int chunkSize) {
    this.chunkSize = chunkSize;
  }

  public InMemoryFileService() {
    this(1 << 20);
  }

  public InMemoryFileService discardBodies(boolean discard) {
    this.discardBodies = discard;
    return this;
  }

  public InMemoryFileService onPut(Consumer<PutRequest> hook) {
    this.onPut = hook;
    return this;
  }

  /** Every data call (not {@link #cluster()}) throws {@code e} until called again with null. */
  public InMemoryFileService failWith(CairnException e) {
    this.failure = e;
    return this;
  }

  /** Reads write this many bytes, then fail as a corrupt replica would (-1: never). */
  public InMemoryFileService failReadsAfter(long bytes) {
    this.failReadsAfterBytes = bytes;
    return this;
  }

  public InMemoryFileService cluster(ClusterView view) {
    this.cluster = view;
    return this;
  }

  /** Body bytes read by all puts so far. */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  /** The stored bytes of bucket/key (null when bodies are discarded). */
  public byte[] content(String bucket, String key) {
    return stored(bucket, key).data();
  }

  public boolean exists(String bucket, String key) {
    NavigableMap<String, Stored> b = buckets.get(bucket);
    return b != null && b.containsKey(key);
  }

  public int fileCount() {
    return buckets.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public FileRecord put(PutRequest request, InputStream body) {
    check();
    Names.checkBucket(request.bucket());
    Names.checkKey(request.key());
    NavigableMap<String, Stored> bucket = buckets.computeIfAbsent(request.bucket(),
        b -> new ConcurrentSkipListMap<>());
    if (request.ifAbsent() && bucket.containsKey(request.key())) {
      throw exists(request);
    }
    onPut.accept(request);
    MessageDigest sha = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    ByteArrayOutputStream kept = discardBodies ? null : new ByteArrayOutputStream();
    long size = 0;
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n; (n = body.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
        md5.update(buf, 0, n);
        if (kept != null) {
          kept.write(buf, 0, n);
        }
        size += n;
        bytesReceived.addAndGet(n);
      }
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INVALID_ARGUMENT, "upload body broke off: " + e, e);
    }
    byte[] data = kept == null ? null : kept.toByteArray();
    FileRecord rec = new FileRecord(request.bucket(), request.key(), UUID.randomUUID().toString(), size,
        HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()), request.contentType(),
        System.currentTimeMillis(), "wrapped-secret", chunkSize, chunks(data, size), request.userMeta());
    Stored s = new Stored(rec, data);
    if (request.ifAbsent()) {
      if (bucket.putIfAbsent(request.key(), s) != null) {
        throw exists(request);
      }
    } else {
      bucket.put(request.key(), s);
    }
    return rec;
  }

  @Override
  public FileRecord stat(String bucket, String key) {
    check();
    return stored(bucket, key).record();
  }

  @Override
  public void read(FileRecord file, long first, long last, OutputStream out) {
    check();
    if (first < 0 || last >= file.size() || first > last) {
      throw new CairnException(ErrorCode.RANGE_NOT_SATISFIABLE, "bad range " + first + "-" + last);
    }
    byte[] data = stored(file.bucket(), file.key()).data();
    long failAfter = failReadsAfterBytes;
    if (failAfter >= 0 && failAfter < last - first + 1) {
      if (failAfter > 0) {
        read(file, first, first + failAfter - 1, out);
      }
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "every replica of a chunk failed its checksum");
    }
    try {
      if (data != null) {
        out.write(data, (int) first, (int) (last - first + 1));
        return;
      }
      byte[] zeros = new byte[64 * 1024];
      for (long left = last - first + 1; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(left, zeros.length));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean delete(String bucket, String key) {
    check();
    NavigableMap<String, Stored> b = buckets.get(bucket);
    return b != null && b.remove(key) != null;
  }

  @Override
  public ListPage list(ListQuery q) {
    check();
    NavigableMap<String, Stored> b = buckets.get(q.bucket());
    if (b == null) {
      throw new CairnException(ErrorCode.NO_SUCH_BUCKET, "no such bucket: " + q.bucket());
    }
    NavigableMap<String, Stored> view = q.cursor() == null ? b : b.tailMap(q.cursor(), false);
    String needle = q.contains().toLowerCase(Locale.ROOT);
    List<FileSummary> out = new ArrayList<>();
    for (Stored s : view.values()) {
      String key = s.record().key();
      if (!key.startsWith(q.prefix()) || !key.toLowerCase(Locale.ROOT).contains(needle)) {
        continue;
      }
      if (out.size() == q.limit()) {
        return new ListPage(out, out.get(out.size() - 1).key());
      }
      out.add(FileSummary.of(s.record()));
    }
    return new ListPage(out, null);
  }

  @Override
  public List<String> buckets() {
    check();
    return List.copyOf(buckets.keySet());
  }

  @Override
  public boolean createBucket(String bucket) {
    check();
    Names.checkBucket(bucket);
    return buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>()) == null;
  }

  @Override
  public void deleteBucket(String bucket) {
    check();
    NavigableMap<String, Stored> b = buckets.get(bucket);
    if (b == null) {
      throw new CairnException(ErrorCode.NO_SUCH_BUCKET, "no such bucket: " + bucket);
    }
    if (!b.isEmpty()) {
      throw new CairnException(ErrorCode.BUCKET_NOT_EMPTY, "bucket is not empty: " + bucket);
    }
    buckets.remove(bucket, b);
  }

  @Override
  public ClusterView cluster() {
    return cluster;
  }

  private Stored stored(String bucket, String key) {
    NavigableMap<String, Stored> b = buckets.get(bucket);
    Stored s = b == null ? null : b.get(key);
    if (s == null) {
      throw new CairnException(ErrorCode.NO_SUCH_KEY, "no such key: " + bucket + "/" + key);
    }
    return s;
  }

  private List<ChunkRef> chunks(byte[] data, long size) {
    List<ChunkRef> out = new ArrayList<>();
    for (long off = 0; off < size; off += chunkSize) {
      int len = (int) Math.min(chunkSize, size - off);
      CRC32C crc = new CRC32C();
      if (data != null) {
        crc.update(data, (int) off, len);
      }
      out.add(new ChunkRef(UUID.randomUUID().toString(), out.size(), off, len, len + 16, crc.getValue(),
          List.of(1, 2, 3)));
    }
    return out;
  }

  private void check() {
    CairnException f = failure;
    if (f != null) {
      throw f;
    }
  }

  private static CairnException exists(PutRequest r) {
    return new CairnException(ErrorCode.ALREADY_EXISTS, "already exists: " + r.bucket() + "/" + r.key());
  }

  private static MessageDigest digest(String alg) {
    try {
      return MessageDigest.getInstance(alg);
    } catch (NoSuchAlgorithmException e) {
      throw new CairnException(ErrorCode.INTERNAL, alg + " missing", e);
    }
  }
}
