package io.cairn.server.web;

import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Cluster-wide figures from per-node scrapes: sums (counters add up across nodes), maxima (counters
 * that every node keeps for the same cluster event, such as leader changes), and increases since an
 * earlier scrape for rates.
 *
 * <p><b>Increases.</b> Only nodes that answered both scrapes count. A node whose process start time
 * changed restarted in between, so its counters began again from zero: its whole current value is the
 * increase. This is the per-series reset rule of Prometheus' {@code increase()}.
 */
final class Totals {
  static final String START_TIME = "process_start_time_seconds";

  private final Map<Integer, Scrape> now;
  private final Map<Integer, Scrape> base;
  private final double seconds;

  /** {@code base} may be null (first scrape): then every rate is null. */
  Totals(ClusterScrape now, ClusterScrape base) {
    this.now = now.answered();
    this.base = base == null ? null : base.answered();
    this.seconds = base == null ? 0 : (now.atMillis() - base.atMillis()) / 1000.0;
  }

  /** Seconds between the two scrapes, or null without a baseline. */
  Double windowSeconds() {
    return hasWindow() ? seconds : null;
  }

  boolean hasWindow() {
    return base != null && seconds > 0;
  }

  double sum(ToDoubleFunction<Scrape> f) {
    double t = 0;
    for (Scrape s : now.values()) {
      t += f.applyAsDouble(s);
    }
    return t;
  }

  double sum(String metric) {
    return sum(s -> s.sum(metric));
  }

  double max(String metric) {
    double m = 0;
    for (Scrape s : now.values()) {
      m = Math.max(m, s.sum(metric));
    }
    return m;
  }

  /** True when any answering node exports the metric (gauges added by newer code paths). */
  boolean exported(String metric) {
    return now.values().stream().anyMatch(s -> s.has(metric));
  }

  /** The value one node reports, if it answered and exports the metric; else null. */
  Double of(int nodeId, String metric) {
    Scrape s = now.get(nodeId);
    return s != null && s.has(metric) ? s.sum(metric) : null;
  }

  /** Increase of a counter over the window, summed over nodes; null without a baseline. */
  Double increase(ToDoubleFunction<Scrape> f) {
    if (!hasWindow()) {
      return null;
    }
    double t = 0;
    for (Map.Entry<Integer, Scrape> e : now.entrySet()) {
      Scrape before = baseOf(e.getKey(), e.getValue());
      if (before != null) {
        double d = f.applyAsDouble(e.getValue()) - f.applyAsDouble(before);
        t += d >= 0 ? d : f.applyAsDouble(e.getValue());
      }
    }
    return t;
  }

  Double increase(String metric) {
    return increase(s -> s.sum(metric));
  }

  /** Per-second rate of a counter over the window; null without a baseline. */
  Double rate(ToDoubleFunction<Scrape> f) {
    Double inc = increase(f);
    return inc == null ? null : inc / seconds;
  }

  Double rate(String metric) {
    return rate(s -> s.sum(metric));
  }

  Buckets histogram(Function<Scrape, Buckets> f) {
    Buckets t = Buckets.EMPTY;
    for (Scrape s : now.values()) {
      t = t.plus(f.apply(s));
    }
    return t;
  }

  /** The histogram of observations made during the window; null without a baseline. */
  Buckets histogramIncrease(Function<Scrape, Buckets> f) {
    if (!hasWindow()) {
      return null;
    }
    Buckets t = Buckets.EMPTY;
    for (Map.Entry<Integer, Scrape> e : now.entrySet()) {
      Scrape before = baseOf(e.getKey(), e.getValue());
      if (before != null) {
        Buckets cur = f.apply(e.getValue());
        Buckets old = f.apply(before);
        t = t.plus(cur.count() >= old.count() ? cur.minus(old) : cur);
      }
    }
    return t;
  }

  /** The node's earlier scrape; EMPTY when it restarted since; null when it did not answer then. */
  private Scrape baseOf(int nodeId, Scrape current) {
    Scrape before = base.get(nodeId);
    if (before == null) {
      return null;
    }
    boolean restarted = before.has(START_TIME) && current.has(START_TIME)
        && before.sum(START_TIME) != current.sum(START_TIME);
    return restarted ? Scrape.EMPTY : before;
  }
}
