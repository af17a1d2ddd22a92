package io.cairn.meta;

import io.cairn.common.FileRecord;
import java.util.List;

/**
 * One page of a scan over every file of every bucket, in (bucket, key) order. {@code nextCursor} is null
 * on the last page; otherwise pass it back to continue.
 */
public record FileScan(List<FileRecord> files, String nextCursor) {
  public FileScan {
    files = List.copyOf(files);
  }
}
