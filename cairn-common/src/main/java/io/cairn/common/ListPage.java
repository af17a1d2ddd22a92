package io.cairn.common;

import java.util.List;

/**
 * One page of a listing. {@code nextCursor} is null on the last page; otherwise pass it back as the
 * cursor to continue after the last key of this page.
 */
public record ListPage(List<FileSummary> files, String nextCursor) {
  public ListPage {
    files = List.copyOf(files);
  }
}
