package io.cairn.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Building request paths for keys that may hold any UTF-8, slashes, spaces, '+', '?', '#' or '%'. */
final class Urls {
  private Urls() {}

  /** Percent-encodes all but RFC 3986 unreserved characters; '/' stays so keys keep their segments. */
  static String path(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String query(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String file(Target t) {
    return "/api/v1/files/" + t.bucket() + "/" + path(t.requireKey());
  }
}
