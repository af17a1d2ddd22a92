package io.cairn.server.s3;

import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ListObjects(V2) over the file service's key-ordered pages: prefix, delimiter with common prefixes,
 * max-keys and a start position. A common prefix is reported once and then skipped over in one seek
 * (the cursor jumps past every key that starts with it), so a directory of a million keys costs one page.
 */
final class Listing {
  /** Sorts after every key that starts with a given string (U+10FFFF is the greatest code point). */
  static final String AFTER_ALL = "\uDBFF\uDFFF";
  private static final int PAGE = 1000;

  private Listing() {}

  /**
   * One listing result.
   *
   * @param contents matching keys
   * @param commonPrefixes rolled-up prefixes, in order
   * @param truncated whether more results follow
   * @param last the last key or common prefix returned (where the next page starts after)
   */
  record Result(List<FileSummary> contents, List<String> commonPrefixes, boolean truncated, String last) {}

  /**
   * Lists keys after {@code startAfter} (exclusive; null for the beginning).
   *
   * @param pages lists one page of the bucket for a query
   */
  static Result list(Function<ListQuery, ListPage> pages, String bucket, String prefix, String delimiter,
      String startAfter, int maxKeys) {
    prefix = prefix == null ? "" : prefix;
    boolean rollUp = delimiter != null && !delimiter.isEmpty();
    List<FileSummary> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String cursor = startAfter == null || startAfter.isEmpty() ? null : startAfter;
    if (cursor != null && rollUp && cursor.startsWith(prefix)) {
      // Continuing after a common prefix: skip every key under it.
      int idx = cursor.indexOf(delimiter, prefix.length());
      if (idx >= 0 && idx + delimiter.length() == cursor.length()) {
        cursor = cursor + AFTER_ALL;
      }
    }
    if (cursor != null && !prefix.isEmpty() && cursor.compareTo(prefix) < 0) {
      cursor = null;
    }
    String last = null;
    if (maxKeys <= 0) {
      return new Result(contents, prefixes, false, null);
    }
    while (true) {
      int want = Math.min(PAGE, maxKeys - contents.size() - prefixes.size() + 1);
      ListPage page = pages.apply(new ListQuery(bucket, prefix, "", Math.max(1, want), cursor));
      boolean reseek = false;
      for (FileSummary f : page.files()) {
        String key = f.key();
        if (rollUp) {
          int idx = key.indexOf(delimiter, prefix.length());
          if (idx >= 0) {
            String cp = key.substring(0, idx + delimiter.length());
            if (contents.size() + prefixes.size() == maxKeys) {
              return new Result(contents, prefixes, true, last);
            }
            prefixes.add(cp);
            last = cp;
            cursor = cp + AFTER_ALL;
            reseek = true;
            break;
          }
        }
        if (contents.size() + prefixes.size() == maxKeys) {
          return new Result(contents, prefixes, true, last);
        }
        contents.add(f);
        last = key;
        cursor = key;
      }
      if (!reseek && page.nextCursor() == null) {
        return new Result(contents, prefixes, false, last);
      }
    }
  }
}
