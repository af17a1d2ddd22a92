package io.cairn.server.cli;

import io.cairn.common.CairnException;
import io.cairn.common.Names;

/**
 * A {@code bucket/key} argument. The bucket ends at the first slash; everything after it, slashes
 * included, is the key. {@code key} is null when only a bucket was given ({@code photos} or
 * {@code photos/}).
 */
record Target(String bucket, String key) {

  static Target parse(String arg) {
    int slash = arg.indexOf('/');
    String bucket = slash < 0 ? arg : arg.substring(0, slash);
    String key = slash < 0 || slash == arg.length() - 1 ? null : arg.substring(slash + 1);
    try {
      Names.checkBucket(bucket);
      if (key != null) {
        Names.checkKey(key);
      }
    } catch (CairnException e) {
      throw CliException.usage(e.getMessage() + " in '" + arg + "'");
    }
    return new Target(bucket, key);
  }

  /** The key, required: {@code get}, {@code rm} and {@code stat} name one file. */
  String requireKey() {
    if (key == null) {
      throw CliException.usage("expected bucket/key, got '" + this + "'");
    }
    return key;
  }

  /** The last path segment of the key: the local file name for downloads. */
  String baseName() {
    String k = requireKey();
    String name = k.substring(k.lastIndexOf('/') + 1);
    return name.isEmpty() ? "download" : name;
  }

  @Override
  public String toString() {
    return key == null ? bucket : bucket + "/" + key;
  }
}
