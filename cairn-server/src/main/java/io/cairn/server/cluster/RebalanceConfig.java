package io.cairn.server.cluster;

import java.time.Duration;

/**
 * Settings of the rebalancer (leader only).
 *
 * @param interval how often the leader compares node utilizations
 * @param tolerance relative deviation from the mean utilization a node may have before chunks move
 *     (0.05 = ±5 %)
 * @param concurrency chunk moves at once
 * @param bytesPerSecond bandwidth moves may use (copied bytes per second)
 */
public record RebalanceConfig(Duration interval, double tolerance, int concurrency, long bytesPerSecond) {
  public RebalanceConfig {
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("rebalance interval must be >= 100 ms");
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("rebalance tolerance must be between 0 and 1 (e.g. 0.05)");
    }
    if (concurrency < 0 || (concurrency > 0 && bytesPerSecond < 1 << 20)) {
      throw new IllegalArgumentException("rebalance concurrency must be >= 0 (0 = off) and bandwidth >= 1 MiB/s");
    }
  }

  /** Every 10 s, ±5 %, 2 moves at once, 50 MiB/s: well below healing, which matters more. */
  public static RebalanceConfig defaults() {
    return new RebalanceConfig(Duration.ofSeconds(10), 0.05, 2, 50L << 20);
  }

  public boolean enabled() {
    return concurrency > 0;
  }
}
