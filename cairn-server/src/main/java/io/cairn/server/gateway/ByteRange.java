package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.Locale;

/**
 * One satisfiable byte range of a file, {@code first} and {@code last} inclusive as in HTTP.
 *
 * <p>Only single ranges are served as 206. A request for several ranges gets the whole file (200),
 * which RFC 9110 allows and which saves us multipart/byteranges bodies nobody here needs.
 */
record ByteRange(long first, long last) {

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * Parses a Range header against a file of {@code size} bytes.
   *
   * @return the range, or null when the whole file should be sent (no header, or several ranges)
   * @throws CairnException INVALID_ARGUMENT for a header that is not {@code bytes=...} with numbers,
   *     RANGE_NOT_SATISFIABLE when the range starts at or after the end of the file
   */
  static ByteRange parse(String header, long size) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      throw CairnException.invalid("Range must be 'bytes=first-last', was '" + shown(header) + "'");
    }
    String spec = h.substring("bytes=".length()).trim();
    if (spec.contains(",")) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw CairnException.invalid("Range must be 'bytes=first-last', was '" + shown(header) + "'");
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (a.isEmpty()) {
      return suffix(number(b, header), size);
    }
    long first = number(a, header);
    long last = b.isEmpty() ? Long.MAX_VALUE : number(b, header);
    if (last < first) {
      throw CairnException.invalid("Range end is before its start: '" + shown(header) + "'");
    }
    if (first >= size) {
      throw unsatisfiable(header, size);
    }
    return new ByteRange(first, Math.min(last, size - 1));
  }

  /** {@code bytes=-n}: the last n bytes. */
  private static ByteRange suffix(long n, long size) {
    if (n == 0 || size == 0) {
      throw unsatisfiable("bytes=-" + n, size);
    }
    return new ByteRange(Math.max(0, size - n), size - 1);
  }

  private static long number(String s, String header) {
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw CairnException.invalid("Range must be 'bytes=first-last', was '" + shown(header) + "'");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw CairnException.invalid("Range position too large in '" + shown(header) + "'");
    }
  }

  private static String shown(String header) {
    return Requests.shown(header);
  }

  private static CairnException unsatisfiable(String header, long size) {
    return new CairnException(ErrorCode.RANGE_NOT_SATISFIABLE,
        "range '" + shown(header) + "' is outside the file (" + size + " bytes)");
  }
}
