package io.cairn.chunk;

import io.cairn.common.CairnException;
import java.util.regex.Pattern;

/**
 * The one rule for chunk ids. Ids become file names, so the alphabet excludes '.', '/' and '\\': an id
 * can never name a parent directory or leave the chunk directory.
 */
final class ChunkIds {
  static final int MIN_LENGTH = 8;
  static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("[0-9a-zA-Z_-]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

  private ChunkIds() {}

  static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** Returns {@code id} or throws INVALID_ARGUMENT. */
  static String check(String id) {
    if (!isValid(id)) {
      throw CairnException.invalid("chunk id must be " + MIN_LENGTH + "-" + MAX_LENGTH
          + " characters of [0-9a-zA-Z_-], was " + describe(id));
    }
    return id;
  }

  /** Checks the arguments every put shares: a valid id and a byte range inside the array. */
  static void checkPut(String id, byte[] data, int length) {
    check(id);
    if (data == null) {
      throw CairnException.invalid("chunk " + id + ": data is required");
    }
    if (length < 0 || length > data.length) {
      throw CairnException.invalid("chunk " + id + ": length " + length + " is outside the "
          + data.length + "-byte array");
    }
  }

  /** Echoes a rejected id without flooding the log when a caller sends something huge. */
  private static String describe(String id) {
    if (id == null) {
      return "null";
    }
    return id.length() <= MAX_LENGTH + 8 ? "'" + id + "'" : "'" + id.substring(0, MAX_LENGTH) + "...' ("
        + id.length() + " characters)";
  }
}
