package io.cairn.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of a run and where its clusters come from. Options are {@code --out DIR}, {@code --passes N},
 * {@code --report FILE}, {@code --smoke}, and {@code key=value} workload settings (e.g. {@code w1.files=40};
 * see bench/README.md). In smoke mode every workload takes its small setting and the cluster workloads
 * share one 4-node cluster, so the whole suite runs in about a minute.
 */
final class BenchEnv implements AutoCloseable {
  final boolean smoke;
  final int passes;
  final Path out;
  final Path report;
  private final Map<String, String> settings;
  private BenchCluster shared;

  private BenchEnv(boolean smoke, int passes, Path out, Path report, Map<String, String> settings) {
    this.smoke = smoke;
    this.passes = passes;
    this.out = out;
    this.report = report;
    this.settings = settings;
  }

  static BenchEnv parse(List<String> args, boolean smoke) {
    Map<String, String> settings = new HashMap<>();
    Path out = Path.of("target", "bench");
    Path report = null;
    Integer passes = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--out" -> out = Path.of(args.get(++i));
        case "--report" -> report = Path.of(args.get(++i));
        case "--passes" -> passes = Integer.parseInt(args.get(++i));
        case "--smoke" -> smoke = true;
        default -> {
          int eq = a.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("unknown argument " + a + " (expected --out, --report, --passes,"
                + " --smoke or key=value)");
          }
          settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
      }
    }
    return new BenchEnv(smoke, passes != null ? passes : smoke ? 1 : 3, out, report, settings);
  }

  /** Setting {@code key}: its given value, else {@code small} in smoke mode and {@code full} otherwise. */
  int intSetting(String key, int full, int small) {
    String v = settings.get(key);
    return v != null ? Integer.parseInt(v) : smoke ? small : full;
  }

  /** The settings given on the command line, for the record (suite.json, the report). */
  String given() {
    return "passes=" + passes + (smoke ? " smoke" : "") + (settings.isEmpty() ? "" : " "
        + String.join(" ", new java.util.TreeMap<>(settings).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toList()));
  }

  String setting(String key, String full, String small) {
    String v = settings.get(key);
    return v != null ? v : smoke ? small : full;
  }

  /**
   * A fresh cluster of {@code nodes} nodes, closed by the caller; in smoke mode the run's one shared
   * 4-node cluster instead (closing it does nothing), so its workloads must leave it usable or run last.
   */
  Lease cluster(int nodes) throws Exception {
    if (!smoke) {
      BenchCluster c = new BenchCluster(nodes, "1g", List.of());
      return new Lease(c, true);
    }
    if (shared == null) {
      shared = new BenchCluster(4, "1g", List.of());
    }
    shared.leader = shared.cluster.awaitReady(java.time.Duration.ofSeconds(60));
    return new Lease(shared, false);
  }

  /** A cluster lent to a workload. */
  record Lease(BenchCluster c, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        c.close();
      }
    }
  }

  @Override
  public void close() {
    if (shared != null) {
      shared.close();
    }
  }
}
