package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.Names;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reading and checking request parts, so every route rejects bad input with the same messages. */
final class Requests {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String[] META_PREFIXES = {"x-cairn-meta-", "x-amz-meta-"};

  private Requests() {}

  static String bucket(Context ctx) {
    return Names.checkBucket(ctx.pathParam("bucket"));
  }

  /** The key from a {@code <key>} path parameter, which Javalin has already percent-decoded. */
  static String key(Context ctx) {
    String key = ctx.pathParam("key");
    // The decoder turns malformed UTF-8 into U+FFFD; unless the client really sent U+FFFD, reject it
    // rather than store a key the client never meant.
    if (key.indexOf('\uFFFD') >= 0) {
      String raw = ctx.req().getRequestURI().toUpperCase(Locale.ROOT);
      if (!raw.contains("%EF%BF%BD") && raw.indexOf('\uFFFD') < 0) {
        throw CairnException.invalid("key is not valid UTF-8 after percent-decoding");
      }
    }
    return Names.checkKey(key);
  }

  /** A required form or query field; INVALID_ARGUMENT names the missing field. */
  static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    if (v == null) {
      v = ctx.queryParam(name);
    }
    if (v == null || v.isBlank()) {
      throw CairnException.invalid("missing field '" + name + "'");
    }
    return v;
  }

  /** {@code ?limit=}: default 100; above 1000 is clamped (the cursor gives the rest). */
  static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    long n;
    try {
      n = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw CairnException.invalid("limit must be a whole number, was '" + shown(raw) + "'");
    }
    if (n < 1) {
      throw CairnException.invalid("limit must be at least 1, was " + n);
    }
    return (int) Math.min(n, MAX_LIMIT);
  }

  /** Browsers ask for HTML; API clients and scripts do not, and get JSON errors instead of redirects. */
  static boolean acceptsHtml(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
  }

  /** Up to 40 characters of a client's value, for an error message. */
  static String shown(String raw) {
    return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
  }

  /** Total size of user metadata (names and values), as S3 allows. */
  static final int MAX_USER_META_BYTES = 2048;

  /**
   * {@code x-cairn-meta-*} and {@code x-amz-meta-*} headers, keyed by the lower-case suffix; more than
   * {@value #MAX_USER_META_BYTES} bytes in all is INVALID_ARGUMENT.
   */
  static Map<String, String> userMeta(Context ctx) {
    Map<String, String> meta = new TreeMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (String prefix : META_PREFIXES) {
        if (lower.startsWith(prefix) && lower.length() > prefix.length()) {
          meta.put(lower.substring(prefix.length()), ctx.header(name));
        }
      }
    }
    long total = 0;
    for (Map.Entry<String, String> e : meta.entrySet()) {
      total += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          + e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    if (total > MAX_USER_META_BYTES) {
      throw CairnException.invalid("user metadata is " + total + " bytes; at most " + MAX_USER_META_BYTES
          + " are allowed");
    }
    return meta;
  }
}
