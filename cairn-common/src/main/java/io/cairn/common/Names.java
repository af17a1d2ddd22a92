package io.cairn.common;

import java.nio.charset.StandardCharsets;

/** Rules for bucket names and object keys, checked at every entry point. */
public final class Names {
  public static final int MAX_KEY_BYTES = 1024;

  private Names() {}

  /** Buckets: 1-63 chars of [a-z0-9._-] (also the seed's usernames), starting with a letter or digit. */
  public static String checkBucket(String bucket) {
    if (bucket == null || bucket.isEmpty() || bucket.length() > 63) {
      throw CairnException.invalid("bucket name must be 1-63 characters");
    }
    if (!bucket.matches("[a-z0-9][a-z0-9._-]*")) {
      throw CairnException.invalid(
          "bucket name may contain only lowercase letters, digits, '.', '_' and '-', and must start with a"
              + " letter or digit: '" + bucket + "'");
    }
    return bucket;
  }

  /**
   * Keys: 1-1024 UTF-8 bytes, no NUL or other control characters, no "." or ".." segments (with '/' or
   * '\\' as separator) and no leading '/'. Keys never become file system paths inside Cairn (chunks are
   * named by id), but clients that mirror keys to disk must not be led outside their target directory.
   */
  public static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw CairnException.invalid("key must not be empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw CairnException.invalid("key must be at most " + MAX_KEY_BYTES + " bytes of UTF-8");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw CairnException.invalid("key must not contain control characters");
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))
              || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(key.charAt(i - 1)))) {
        throw CairnException.invalid("key is not valid UTF-8");
      }
    }
    if (key.charAt(0) == '/') {
      throw CairnException.invalid("key must not start with '/' (it is relative to its bucket)");
    }
    for (String seg : key.split("[/\\\\]", -1)) {
      if (seg.equals(".") || seg.equals("..")) {
        throw CairnException.invalid("key must not contain '.' or '..' path segments");
      }
    }
    return key;
  }
}
