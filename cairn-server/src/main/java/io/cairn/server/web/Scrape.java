package io.cairn.server.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One node's metrics as read from its Prometheus text exposition: the samples, and the few queries
 * the dashboard needs (sums over label sets, a histogram's buckets). Immutable; values are exactly what
 * the node exported, nothing is estimated here.
 */
final class Scrape {
  /** One sample line: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    Sample {
      labels = Map.copyOf(labels);
    }

    String label(String key) {
      return labels.get(key);
    }
  }

  static final Scrape EMPTY = new Scrape(List.of());

  private final List<Sample> samples;

  Scrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  List<Sample> samples() {
    return samples;
  }

  /** True when the node exports at least one sample of this name (e.g. a gauge that appeared later). */
  boolean has(String name) {
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Sum over every label set of {@code name}; 0 when absent. */
  double sum(String name) {
    return sum(name, s -> true);
  }

  /** Sum over the label sets where {@code label} equals {@code value}. */
  double sum(String name, String label, String value) {
    return sum(name, s -> value.equals(s.label(label)));
  }

  double sum(String name, Predicate<Sample> filter) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && filter.test(s)) {
        total += s.value();
      }
    }
    return total;
  }

  /** Sums of {@code name} grouped by one label's value, in first-seen order. */
  Map<String, Double> sumBy(String name, String label) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Sample s : samples) {
      String v = s.label(label);
      if (s.name().equals(name) && v != null) {
        out.merge(v, s.value(), Double::sum);
      }
    }
    return out;
  }

  /** The cumulative buckets of histogram {@code name} ({@code name_bucket}), summed over label sets. */
  Buckets buckets(String name) {
    return buckets(name, s -> true);
  }

  Buckets buckets(String name, Predicate<Sample> filter) {
    TreeMap<Double, Double> byLe = new TreeMap<>();
    String bucket = name + "_bucket";
    for (Sample s : samples) {
      if (s.name().equals(bucket) && filter.test(s)) {
        String le = s.label("le");
        if (le != null) {
          byLe.merge(PromText.parseValue(le), s.value(), Double::sum);
        }
      }
    }
    return new Buckets(byLe, sum(name + "_sum", filter), sum(name + "_count", filter));
  }

  /** Samples of one name, for per-label tables. */
  List<Sample> all(String name) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }
}
