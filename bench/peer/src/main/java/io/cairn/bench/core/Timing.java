package io.cairn.bench.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one pass of a closed-loop load measured: wall-clock seconds, bytes moved and each operation's
 * latency in ms. Has a one-line text form so a peer process can hand it to the suite over stdout.
 */
public final class Timing {
  private static final String TAG = "timing";

  public final String name;
  public final double seconds;
  public final long bytes;
  public final double[] latenciesMs;

  public Timing(String name, double seconds, long bytes, double[] latenciesMs) {
    this.name = name;
    this.seconds = seconds;
    this.bytes = bytes;
    this.latenciesMs = latenciesMs;
  }

  public int ops() {
    return latenciesMs.length;
  }

  public double opsPerSecond() {
    return ops() / seconds;
  }

  public double mbPerSecond() {
    return bytes / 1e6 / seconds;
  }

  public String toLine() {
    return TAG + " " + name + " " + seconds + " " + bytes + " "
        + Arrays.stream(latenciesMs).mapToObj(d -> String.format(Locale.ROOT, "%.3f", d)).collect(Collectors.joining(","));
  }

  /** The Timing in a line written by {@link #toLine()}, or null for any other line. */
  public static Timing parse(String line) {
    String[] p = line.trim().split(" ");
    if (p.length != 5 || !p[0].equals(TAG)) {
      return null;
    }
    double[] lat = Arrays.stream(p[4].split(",")).mapToDouble(Double::parseDouble).toArray();
    return new Timing(p[1], Double.parseDouble(p[2]), Long.parseLong(p[3]), lat);
  }
}
