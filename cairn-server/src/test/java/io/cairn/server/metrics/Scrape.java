package io.cairn.server.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text format back: sample (name plus labels, labels sorted) to value, and each
 * family's TYPE. Good enough for the exposition this project writes (no escaped quotes in label values).
 */
final class Scrape {
  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new TreeMap<>();

  private Scrape() {}

  static Scrape parse(String text) {
    Scrape s = new Scrape();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        s.types.put(p[2], p[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int sp = line.lastIndexOf(' ');
        s.samples.put(normalize(line.substring(0, sp)), Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return s;
  }

  static Scrape of(Metrics m) {
    return parse(m.scrapeText());
  }

  /** The sample's value, 0 when absent ("never happened"); labels as alternating name, value. */
  double value(String name, String... labels) {
    return samples.getOrDefault(key(name, labels), 0.0);
  }

  boolean has(String name, String... labels) {
    return samples.containsKey(key(name, labels));
  }

  /** Sum over every sample of {@code name} whatever its labels. */
  double sum(String name) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String k = e.getKey();
      if (k.equals(name) || k.startsWith(name + "{")) {
        total += e.getValue();
      }
    }
    return total;
  }

  boolean hasFamily(String name) {
    for (String k : samples.keySet()) {
      if (k.equals(name) || k.startsWith(name + "{")) {
        return true;
      }
    }
    return false;
  }

  static String key(String name, String... labels) {
    if (labels.length == 0) {
      return name;
    }
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    StringBuilder sb = new StringBuilder(name).append('{');
    sorted.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
    sb.setLength(sb.length() - 1);
    return sb.append('}').toString();
  }

  private static String normalize(String sample) {
    int brace = sample.indexOf('{');
    if (brace < 0) {
      return sample;
    }
    String name = sample.substring(0, brace);
    String body = sample.substring(brace + 1, sample.length() - 1);
    Map<String, String> sorted = new TreeMap<>();
    for (String pair : body.split("\",")) {
      int eq = pair.indexOf('=');
      String v = pair.substring(eq + 1);
      v = v.startsWith("\"") ? v.substring(1) : v;
      v = v.endsWith("\"") ? v.substring(0, v.length() - 1) : v;
      sorted.put(pair.substring(0, eq), v);
    }
    StringBuilder sb = new StringBuilder(name).append('{');
    sorted.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
    sb.setLength(sb.length() - 1);
    return sb.append('}').toString();
  }
}
