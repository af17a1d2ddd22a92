package io.cairn.common;

/** What a listing shows of a file. */
public record FileSummary(String bucket, String key, long size, String contentType, long createdMillis,
    String md5, int chunkCount) {
  public static FileSummary of(FileRecord r) {
    return new FileSummary(r.bucket(), r.key(), r.size(), r.contentType(), r.createdMillis(), r.md5(),
        r.chunks().size());
  }
}
