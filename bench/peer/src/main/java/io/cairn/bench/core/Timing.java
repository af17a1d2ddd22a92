package io.cairn.bench.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one pass of a closed-loop load measured: wall-clock seconds, bytes moved, each operation's
 * latency in ms (failed ones included) and how many operations failed, with the first failure. Has a one-line text form so a peer process can hand it to the suite over stdout.
 */
public final class Timing {
  private static final String TAG = "timing";

  public final String name;
  public final double seconds;
  public final long bytes;
  public final double[] latenciesMs;
  public final int failures;
  public final String firstFailure;

  public Timing(String name, double seconds, long bytes, double[] latenciesMs, int failures, String firstFailure) {
    this.name = name;
    this.seconds = seconds;
    this.bytes = bytes;
    this.latenciesMs = latenciesMs;
    this.failures = failures;
    this.firstFailure = firstFailure == null ? "" : firstFailure;
  }

  public int ops() {
    return latenciesMs.length;
  }

  /** Operations that succeeded, per second. */
  public double opsPerSecond() {
    return (ops() - failures) / seconds;
  }

  /** MB/s of the operations that succeeded (their share of the bytes, exact when sizes are equal). */
  public double mbPerSecond() {
    return bytes * (ops() - failures) / (double) ops() / 1e6 / seconds;
  }

  public String toLine() {
    return TAG + " " + name + " " + seconds + " " + bytes + " " + failures + " "
        + Arrays.stream(latenciesMs).mapToObj(d -> String.format(Locale.ROOT, "%.3f", d)).collect(Collectors.joining(","))
        + " " + firstFailure.replaceAll("\\s+", "_");
  }

  /** The Timing in a line written by {@link #toLine()}, or null for any other line. */
  public static Timing parse(String line) {
    String[] p = line.trim().split(" ");
    if (p.length < 6 || !p[0].equals(TAG)) {
      return null;
    }
    double[] lat = Arrays.stream(p[5].split(",")).mapToDouble(Double::parseDouble).toArray();
    return new Timing(p[1], Double.parseDouble(p[2]), Long.parseLong(p[3]), lat, Integer.parseInt(p[4]),
        p.length > 6 ? p[6] : "");
  }
}
