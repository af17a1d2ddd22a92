package io.cairn.server.gateway;

import io.cairn.common.FileRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Header values the gateway derives from a file record, written once so every route agrees. */
final class HttpHeaders {
  /** IMF-fixdate (RFC 9110): two-digit day, always GMT. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpHeaders() {}

  /** The strong ETag: the quoted MD5, as S3 does for single-part objects. */
  static String etag(FileRecord r) {
    return "\"" + r.md5() + "\"";
  }

  static String httpDate(long epochMillis) {
    return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Parses an HTTP date to epoch seconds, or -1 when it is not one (such headers are ignored). */
  static long parseHttpDateSecs(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** True when an If-None-Match / If-Match list names this ETag (weak comparison) or is {@code *}. */
  static boolean etagListMatches(String header, String etag) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String t = part.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * RFC 6266 Content-Disposition: an ASCII {@code filename} for old clients and the exact UTF-8 name in
   * {@code filename*}. The name is the last path segment of the key.
   */
  static String contentDisposition(String key, boolean inline) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      name = "download";
    }
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
    }
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + rfc5987(name);
  }

  /** Percent-encodes everything but RFC 5987 attr-chars. */
  static String rfc5987(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
