package io.cairn.meta;

/**
 * A bucket with its creation time, current file count and byte total, and its owner: the user who
 * created it, or null for a bucket created anonymously (dev mode) or before accounts existed; such a
 * bucket is reachable by admins only (and by anonymous requests where the node allows them).
 */
public record BucketInfo(String name, long createdMillis, long files, long bytes, String owner) {
  public BucketInfo(String name, long createdMillis, long files, long bytes) {
    this(name, createdMillis, files, bytes, null);
  }

  public BucketInfo withCounts(long files, long bytes) {
    return new BucketInfo(name, createdMillis, files, bytes, owner);
  }
}
