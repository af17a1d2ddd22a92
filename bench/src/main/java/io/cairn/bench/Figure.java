package io.cairn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One measured quantity of a workload, with its value in each pass. */
final class Figure {
  final String workload;
  final String name;
  final String unit;
  final List<Double> passes = new ArrayList<>();

  Figure(String workload, String name, String unit) {
    this.workload = workload;
    this.name = name;
    this.unit = unit;
  }

  double median() {
    return stats().pct(50);
  }

  Stats stats() {
    return new Stats(passes.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The suite's one-line form: median of the passes, with min and max. */
  String line() {
    Stats s = stats();
    return String.format(Locale.ROOT, "%-8s %-40s %12s %-6s (min %s, max %s; %d pass%s)", workload, name,
        num(s.pct(50)), unit, num(s.min()), num(s.max()), passes.size(), passes.size() == 1 ? "" : "es");
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
