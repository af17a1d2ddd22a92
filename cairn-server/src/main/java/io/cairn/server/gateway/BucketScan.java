package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.server.files.FileService;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a bucket page by page for the seed routes and the index page, which return whole lists.
 * An unknown bucket is an empty list there: the seed app treated a new user as one with no files.
 */
final class BucketScan {
  private static final int PAGE = 1000;

  private BucketScan() {}

  /** Up to {@code max} files whose keys contain {@code contains} (case-insensitive; "" for all). */
  static List<FileSummary> scan(FileService files, String bucket, String contains, int max) {
    List<FileSummary> out = new ArrayList<>();
    String cursor = null;
    try {
      do {
        ListPage page = files.list(new ListQuery(bucket, "", contains, Math.min(PAGE, max - out.size()), cursor));
        out.addAll(page.files());
        cursor = page.nextCursor();
      } while (cursor != null && out.size() < max);
    } catch (CairnException e) {
      if (e.code() != ErrorCode.NO_SUCH_BUCKET) {
        throw e;
      }
    }
    return out;
  }
}
