package io.cairn.server.files;

import io.cairn.chunk.Checksums;
import io.cairn.chunk.Envelope;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One upload in progress: its identity and key, running digests, the chunks committed so far and the
 * replications still running. Used by one request thread; the chunk list it collects from finished
 * replications is only touched by that thread.
 */
final class UploadState {
  private static final SecureRandom RANDOM = new SecureRandom();

  final FileService.PutRequest request;
  final String fileId;
  final byte[] dataKey;
  final int chunkSize;
  int index;
  private long offset;
  private String inline;
  private final MessageDigest sha256;
  private final MessageDigest md5;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final List<ChunkRef> chunks = new ArrayList<>();
  private final List<Stored> written = Collections.synchronizedList(new ArrayList<>());

  /** A chunk stored on some nodes (for cleanup after a failed upload). */
  record Stored(String chunkId, List<Integer> nodes) {}

  private record Pending(ChunkRef partial, Future<List<Integer>> replicas) {}

  UploadState(FileService.PutRequest request, Envelope envelope, int chunkSize) {
    this.request = request;
    this.fileId = newFileId();
    this.dataKey = envelope.newDataKey();
    this.chunkSize = chunkSize;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new CairnException(ErrorCode.INTERNAL, "digest unavailable", e);
    }
  }

  /** 32 hex chars of randomness: unique without coordination, and a valid chunk id prefix. */
  static String newFileId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  void digest(byte[] buf, int n) {
    sha256.update(buf, 0, n);
    md5.update(buf, 0, n);
  }

  /** Starts replicating a sealed chunk; waits for the oldest one first if too many are running. */
  void submit(ExecutorService workers, byte[] sealed, int plainLength, ChunkReplicator replicator,
      int maxInFlight) {
    String chunkId = fileId + "-" + index;
    long crc = Checksums.crc32c(sealed, 0, sealed.length);
    ChunkRef partial = new ChunkRef(chunkId, index, offset, plainLength, sealed.length, crc, List.of());
    while (pending.size() >= maxInFlight) {
      collectOldest();
    }
    pending.add(new Pending(partial, workers.submit(() -> {
      List<Integer> nodes = replicator.replicate(chunkId, sealed, crc);
      written.add(new Stored(chunkId, nodes));
      return nodes;
    })));
    offset += plainLength;
    index++;
  }

  void awaitAll() {
    while (!pending.isEmpty()) {
      collectOldest();
    }
  }

  private void collectOldest() {
    Pending p = pending.removeFirst();
    try {
      chunks.add(p.partial().withReplicas(p.replicas().get()));
    } catch (ExecutionException e) {
      throw CairnException.unwrap(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, "upload interrupted", e);
    }
  }

  /** Stops replications still running (a failed upload). */
  void cancel() {
    for (Pending p : pending) {
      p.replicas().cancel(true);
    }
    for (Pending p : pending) {
      try {
        p.replicas().get();
      } catch (Exception ignored) {
        // Outcome no longer matters; we only wait so that `written` is complete for cleanup.
      }
    }
    pending.clear();
  }

  List<Stored> written() {
    return List.copyOf(written);
  }

  /** Keeps a small file's whole sealed content for the record instead of replicating it as a chunk. */
  void inline(byte[] sealed, int plainLength) {
    inline = java.util.Base64.getEncoder().encodeToString(sealed);
    offset += plainLength;
  }

  FileRecord record(String wrappedKey, long nowMillis) {
    HexFormat hex = HexFormat.of();
    return new FileRecord(request.bucket(), request.key(), fileId, offset, hex.formatHex(sha256.digest()),
        hex.formatHex(md5.digest()), request.contentType(), nowMillis, wrappedKey, chunkSize, chunks,
        request.userMeta(), inline);
  }
}
