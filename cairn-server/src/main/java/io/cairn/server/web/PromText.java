package io.cairn.server.web;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) that every node serves at
 * {@code /metrics}. Comments ({@code # HELP}, {@code # TYPE}) are skipped; each sample line becomes a
 * {@link Scrape.Sample}. Label values may hold escaped quotes, backslashes and newlines.
 *
 * <p>Parsing the text rather than adding a JSON twin of {@code /metrics} keeps one source of truth: the
 * dashboard can only show what a scraper such as Prometheus would see.
 */
final class PromText {
  private PromText() {}

  /** Parses a whole exposition; a malformed line fails with INVALID_ARGUMENT naming the line. */
  static Scrape parse(String text) {
    List<Scrape.Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.charAt(0) == '#') {
        continue;
      }
      try {
        out.add(sample(l));
      } catch (RuntimeException e) {
        throw new CairnException(ErrorCode.INVALID_ARGUMENT,
            "malformed metrics line " + lineNo + ": '" + l + "' (" + e.getMessage() + ")", e);
      }
    }
    return new Scrape(out);
  }

  private static Scrape.Sample sample(String l) {
    int i = 0;
    while (i < l.length() && isNameChar(l.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = l.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < l.length() && l.charAt(i) == '{') {
      i = labels(l, i + 1, labels);
    }
    String rest = l.substring(i).strip();
    int space = rest.indexOf(' ');
    String value = space < 0 ? rest : rest.substring(0, space); // a trailing timestamp is ignored
    return new Scrape.Sample(name, labels, parseValue(value));
  }

  /** Reads {@code a="x",b="y"}} starting after the brace; returns the index after the closing brace. */
  private static int labels(String l, int i, Map<String, String> into) {
    while (true) {
      i = skipSpaces(l, i);
      if (l.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (isNameChar(l.charAt(i))) {
        i++;
      }
      String key = l.substring(start, i);
      i = skipSpaces(l, i);
      expect(l, i++, '=');
      i = skipSpaces(l, i);
      expect(l, i++, '"');
      StringBuilder v = new StringBuilder();
      for (char c = l.charAt(i); c != '"'; c = l.charAt(i)) {
        if (c == '\\') {
          char n = l.charAt(++i);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
        i++;
      }
      into.put(key, v.toString());
      i = skipSpaces(l, i + 1);
      if (l.charAt(i) == ',') {
        i++;
      }
    }
  }

  /** A sample value or {@code le} bound: a float, {@code +Inf}, {@code -Inf} or {@code NaN}. */
  static double parseValue(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':';
  }

  private static int skipSpaces(String l, int i) {
    while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static void expect(String l, int i, char c) {
    if (l.charAt(i) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at column " + (i + 1));
    }
  }
}
