package io.cairn.common;

import java.util.List;
import java.util.Map;

/**
 * A committed file: what {@code bucket/key} points to.
 *
 * @param bucket bucket name
 * @param key object key (any UTF-8, may contain slashes)
 * @param fileId unique id of this version; bound into every chunk's AEAD associated data
 * @param size plaintext size in bytes
 * @param sha256 hex SHA-256 of the plaintext
 * @param md5 hex MD5 of the plaintext (used as the ETag)
 * @param contentType media type given at upload
 * @param createdMillis commit time (epoch millis, chosen by the uploading node)
 * @param wrappedKey per-file data key, encrypted under the cluster master key (base64)
 * @param chunkSize plaintext chunk size used to cut this file
 * @param chunks ordered chunks
 * @param userMeta user metadata (x-amz-meta-* and similar); never null
 * @param inline for small files, the whole sealed content (base64) kept in the record instead of chunks;
 *     null otherwise
 */
public record FileRecord(
    String bucket,
    String key,
    String fileId,
    long size,
    String sha256,
    String md5,
    String contentType,
    long createdMillis,
    String wrappedKey,
    int chunkSize,
    List<ChunkRef> chunks,
    Map<String, String> userMeta,
    String inline) {
  public FileRecord {
    chunks = List.copyOf(chunks);
    userMeta = userMeta == null ? Map.of() : Map.copyOf(userMeta);
    if (inline != null && !chunks.isEmpty()) {
      throw new IllegalArgumentException("a file is either inline or chunked, not both");
    }
  }

  /** A chunked (not inline) file. */
  public FileRecord(String bucket, String key, String fileId, long size, String sha256, String md5,
      String contentType, long createdMillis, String wrappedKey, int chunkSize, List<ChunkRef> chunks,
      Map<String, String> userMeta) {
    this(bucket, key, fileId, size, sha256, md5, contentType, createdMillis, wrappedKey, chunkSize, chunks, userMeta,
        null);
  }

  /** This record with its data key wrapped differently (key rotation); content and chunks unchanged. */
  public FileRecord withWrappedKey(String w) {
    return new FileRecord(bucket, key, fileId, size, sha256, md5, contentType, createdMillis, w,
        chunkSize, chunks, userMeta, inline);
  }

  public FileRecord withChunks(List<ChunkRef> c) {
    return new FileRecord(bucket, key, fileId, size, sha256, md5, contentType, createdMillis, wrappedKey,
        chunkSize, c, userMeta, inline);
  }
}
