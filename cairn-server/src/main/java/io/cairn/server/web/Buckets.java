package io.cairn.server.web;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A histogram as cumulative bucket counts ({@code le} upper bound to count), plus its sum and count.
 * Buckets from several nodes add up, and subtracting an older copy of the same histogram gives the
 * histogram of the observations made in between, which is how the dashboard gets a recent p95.
 */
record Buckets(NavigableMap<Double, Double> cumulative, double sum, double count) {
  static final Buckets EMPTY = new Buckets(new TreeMap<>(), 0, 0);

  Buckets {
    cumulative = new TreeMap<>(cumulative);
  }

  Buckets plus(Buckets o) {
    TreeMap<Double, Double> m = new TreeMap<>(cumulative);
    o.cumulative.forEach((le, c) -> m.merge(le, c, Double::sum));
    return new Buckets(m, sum + o.sum, count + o.count);
  }

  /** This minus an earlier copy of the same series; the caller has ruled out a counter reset. */
  Buckets minus(Buckets earlier) {
    TreeMap<Double, Double> m = new TreeMap<>(cumulative);
    earlier.cumulative.forEach((le, c) -> m.merge(le, -c, Double::sum));
    return new Buckets(m, sum - earlier.sum, count - earlier.count);
  }

  /** Mean observation, or null when there was none. */
  Double mean() {
    return count > 0 ? sum / count : null;
  }

  /**
   * The q-quantile the way Prometheus' {@code histogram_quantile} computes it: find the bucket holding
   * the rank and interpolate linearly inside it. Null without observations. When the rank falls in the
   * open {@code +Inf} bucket the answer is the highest finite bound (a floor, as in Prometheus).
   */
  Double quantile(double q) {
    double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    if (total <= 0) {
      return null;
    }
    double rank = q * total;
    double prevLe = 0;
    double prevCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double le = e.getKey();
      double c = e.getValue();
      if (c >= rank) {
        if (Double.isInfinite(le)) {
          return prevLe;
        }
        double inBucket = c - prevCount;
        return inBucket <= 0 ? le : prevLe + (le - prevLe) * (rank - prevCount) / inBucket;
      }
      prevLe = le;
      prevCount = c;
    }
    return prevLe;
  }

  /** Observations per bucket (not cumulative), keyed by upper bound, for a bar chart. */
  NavigableMap<Double, Double> perBucket() {
    TreeMap<Double, Double> out = new TreeMap<>();
    double prev = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      out.put(e.getKey(), e.getValue() - prev);
      prev = e.getValue();
    }
    return out;
  }
}
