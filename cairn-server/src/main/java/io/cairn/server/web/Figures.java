package io.cairn.server.web;

/** Small numeric helpers shared by the report sections: ratios that are null rather than NaN. */
final class Figures {
  private Figures() {}

  /** {@code part / whole} in percent, or null when {@code whole} is 0 (JSON has no NaN). */
  static Double percent(double part, double whole) {
    return whole > 0 ? round(100.0 * part / whole) : null;
  }

  static Double perSecond(Double increase, Double seconds) {
    return increase == null || seconds == null || seconds <= 0 ? null : round(increase / seconds);
  }

  /** Seconds to milliseconds, keeping null. */
  static Double millis(Double seconds) {
    return seconds == null ? null : round(seconds * 1000);
  }

  /** Counters are whole numbers; printing {@code 12.0} would only confuse readers of the JSON. */
  static long whole(double v) {
    return Math.round(v);
  }

  /** Three decimals: enough for percentages and milliseconds, short enough to read. */
  static Double round(Double v) {
    if (v == null || v.isNaN() || v.isInfinite()) {
      return null;
    }
    return Math.round(v * 1000.0) / 1000.0;
  }
}
