package io.cairn.server.s3;

import io.cairn.common.FileRecord;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How S3 object metadata lives in {@link FileRecord#userMeta()}: {@code x-amz-meta-NAME} as {@code NAME}
 * (the REST API's convention, so both front doors see the same metadata), and the standard headers that
 * have no field of their own under reserved names starting with {@code cairn:} (a colon cannot occur in
 * an HTTP header name, so no user metadata can collide with them).
 */
final class ObjectMeta {
  static final String RESERVED = "cairn:";
  static final String ETAG = RESERVED + "etag";
  static final String UPLOAD_KEY = RESERVED + "upload-key";
  static final String USER_PREFIX = "x-amz-meta-";
  /** Stored standard headers: request header name -> reserved key. */
  static final Map<String, String> STANDARD = new LinkedHashMap<>();

  static {
    for (String h : new String[] {"content-encoding", "content-disposition", "content-language", "cache-control",
        "expires"}) {
      STANDARD.put(h, RESERVED + h);
    }
  }

  private ObjectMeta() {}

  /** Metadata to store from request headers (lower-case names). */
  static Map<String, String> fromHeaders(Map<String, java.util.List<String>> headers) {
    Map<String, String> meta = new TreeMap<>();
    headers.forEach((name, values) -> {
      if (name.startsWith(USER_PREFIX) && name.length() > USER_PREFIX.length() && !values.isEmpty()) {
        meta.put(name.substring(USER_PREFIX.length()), String.join(",", values));
      }
    });
    STANDARD.forEach((header, reserved) -> {
      java.util.List<String> v = headers.get(header);
      if (v != null && !v.isEmpty()) {
        String value = String.join(",", v);
        if (header.equals("content-encoding")) {
          value = stripAwsChunked(value);
        }
        if (!value.isEmpty()) {
          meta.put(reserved, value);
        }
      }
    });
    return meta;
  }

  /** {@code aws-chunked} describes the request body only; S3 does not store it. */
  static String stripAwsChunked(String encoding) {
    StringBuilder out = new StringBuilder();
    for (String part : encoding.split(",")) {
      String p = part.trim();
      if (!p.isEmpty() && !p.equalsIgnoreCase("aws-chunked")) {
        if (!out.isEmpty()) {
          out.append(",");
        }
        out.append(p);
      }
    }
    return out.toString();
  }

  /** The ETag clients expect, quoted: the MD5 for single-part objects, MD5-of-MD5s-N for multipart ones. */
  static String etag(FileRecord r) {
    String e = r.userMeta().get(ETAG);
    return "\"" + (e != null ? e : r.md5()) + "\"";
  }

  /** Response headers for an object: user metadata and the stored standard headers. */
  static Map<String, String> responseHeaders(FileRecord r) {
    Map<String, String> out = new LinkedHashMap<>();
    r.userMeta().forEach((k, v) -> {
      if (!k.startsWith(RESERVED)) {
        out.put(USER_PREFIX + k.toLowerCase(Locale.ROOT), v);
      }
    });
    STANDARD.forEach((header, reserved) -> {
      String v = r.userMeta().get(reserved);
      if (v != null) {
        out.put(header, v);
      }
    });
    return out;
  }

  /** The metadata to carry over when copying (COPY directive): everything but the multipart ETag. */
  static Map<String, String> forCopy(FileRecord r) {
    Map<String, String> m = new TreeMap<>(r.userMeta());
    m.remove(ETAG);
    m.remove(UPLOAD_KEY);
    return m;
  }
}
