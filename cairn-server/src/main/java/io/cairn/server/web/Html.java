package io.cairn.server.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Escaping and the page templates' {@code {{name}}} substitution. */
final class Html {
  private Html() {}

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A query-string value (spaces as %20, which every server reads the same way). */
  static String query(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Replaces each {@code {{key}}} in the template with its value, which the caller has escaped. One pass,
   * so a value that happens to contain {@code {{...}}} (a file name) is never expanded again.
   */
  static String fill(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder(template.length() + 1024);
    int i = 0;
    while (true) {
      int open = template.indexOf("{{", i);
      int close = open < 0 ? -1 : template.indexOf("}}", open);
      if (close < 0) {
        return out.append(template, i, template.length()).toString();
      }
      String key = template.substring(open + 2, close);
      String v = values.get(key);
      out.append(template, i, open).append(v != null ? v : template.substring(open, close + 2));
      i = close + 2;
    }
  }
}
