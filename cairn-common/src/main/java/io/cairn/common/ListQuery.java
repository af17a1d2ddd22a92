package io.cairn.common;

/**
 * A listing request.
 *
 * @param bucket bucket to list
 * @param prefix only keys starting with this ("" for all)
 * @param contains only keys containing this substring, case-insensitive ("" for all)
 * @param limit at most this many results (1..10000)
 * @param cursor list keys strictly after this key (null to start at the beginning)
 */
public record ListQuery(String bucket, String prefix, String contains, int limit, String cursor) {
  public static final int MAX_LIMIT = 10_000;
  /** Longest search text: a substring filter, not a document. */
  public static final int MAX_CONTAINS = 256;

  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    contains = contains == null ? "" : contains;
    if (prefix.length() > Names.MAX_KEY_BYTES) {
      throw CairnException.invalid("prefix must be at most " + Names.MAX_KEY_BYTES + " characters");
    }
    if (contains.length() > MAX_CONTAINS) {
      throw CairnException.invalid("search text must be at most " + MAX_CONTAINS + " characters");
    }
    if (cursor != null && cursor.length() > Names.MAX_KEY_BYTES) {
      throw CairnException.invalid("cursor must be at most " + Names.MAX_KEY_BYTES + " characters (it is a key)");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw CairnException.invalid("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }
}
