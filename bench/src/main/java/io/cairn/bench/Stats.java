package io.cairn.bench;

import java.util.Arrays;

/** Percentiles of a set of samples. */
final class Stats {
  private final double[] sorted;

  Stats(double[] samples) {
    sorted = samples.clone();
    Arrays.sort(sorted);
  }

  double pct(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.clamp(i, 0, sorted.length - 1)];
  }

  double mean() {
    return Arrays.stream(sorted).average().orElse(Double.NaN);
  }

  double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
