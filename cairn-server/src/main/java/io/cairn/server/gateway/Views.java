package io.cairn.server.gateway;

import io.cairn.common.ChunkRef;
import io.cairn.common.FileRecord;
import io.cairn.common.FileSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the REST API, as records so the field names and order are visible in one place.
 * Times are ISO-8601 UTC strings; {@code etag} is the quoted form, exactly as in the ETag header, so
 * clients can send it back in If-None-Match. The wrapped data key never leaves the server.
 */
final class Views {
  private Views() {}

  static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** Answer to a successful PUT. */
  record Stored(String bucket, String key, long size, String sha256, String md5, String etag, int chunks,
      String contentType, String created) {
    static Stored of(FileRecord r) {
      return new Stored(r.bucket(), r.key(), r.size(), r.sha256(), r.md5(), HttpHeaders.etag(r),
          r.chunks().size(), r.contentType(), iso(r.createdMillis()));
    }
  }

  /** One entry of a listing. */
  record Entry(String key, long size, String contentType, String created, String etag, int chunks) {
    static Entry of(FileSummary s) {
      return new Entry(s.key(), s.size(), s.contentType(), iso(s.createdMillis()), "\"" + s.md5() + "\"",
          s.chunkCount());
    }
  }

  record Listing(String bucket, List<Entry> files, String nextCursor) {}

  record Buckets(List<String> buckets) {}

  /** {@code GET /api/v1/meta/...}: the record without its wrapped key. */
  record Meta(String bucket, String key, String fileId, long size, String sha256, String md5,
      String contentType, String created, int chunkSize, Map<String, String> userMeta, List<Chunk> chunks) {
    static Meta of(FileRecord r) {
      return new Meta(r.bucket(), r.key(), r.fileId(), r.size(), r.sha256(), r.md5(), r.contentType(),
          iso(r.createdMillis()), r.chunkSize(), r.userMeta(), r.chunks().stream().map(Chunk::of).toList());
    }
  }

  /** A chunk as operators see it: {@code size} is plaintext bytes, {@code storedSize} the blob. */
  record Chunk(int index, String chunkId, long offset, int size, int storedSize, long crc32c,
      List<Integer> replicas) {
    static Chunk of(ChunkRef c) {
      return new Chunk(c.index(), c.chunkId(), c.offset(), c.plainLength(), c.storedLength(), c.crc32c(),
          c.replicas());
    }
  }
}
