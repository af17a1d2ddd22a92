package io.cairn.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole suite, or one workload of it, in one run: each workload in turn, then the ratios of Cairn to
 * HDFS and to the disk limit, then suite.json (and docs/PERFORMANCE.md with --report). Workloads that
 * kill nodes run last, because in smoke mode they share one cluster with the others.
 */
final class Suite {
  private final List<Workload> workloads;

  Suite() {
    FileSetBench w1 = FileSetBench.ingest();
    FileSetBench w2 = FileSetBench.smallFiles();
    workloads = List.of(new DiskLimit(), new MicroBench(), w1, w2, new MixedLoad(), new CacheHitRate(),
        new HdfsPeer(w1, w2), new FailoverBench(), new HealBench());
  }

  List<Workload> workloads() {
    return workloads;
  }

  /** The workload named {@code name}, or by its name before the suite existed (ingest, cache, failover). */
  Workload find(String name) {
    String wanted = switch (name) {
      case "ingest" -> "W1";
      case "cache" -> "W4";
      case "failover" -> "W5";
      default -> name;
    };
    return workloads.stream().filter(w -> w.name().equalsIgnoreCase(wanted)).findFirst().orElse(null);
  }

  /** Runs the given workloads (all in smoke mode except HDFS, whose JVM start alone takes most of a minute). */
  Results run(List<Workload> selected, BenchEnv env, PrintStream out) throws Exception {
    Results results = new Results(env.out, out);
    Map<String, Object> machine = Machine.describe();
    machine.put("settings", env.given());
    out.println("cairn bench: " + machine);
    try (env) {
      for (Workload w : selected) {
        if (env.smoke && w instanceof HdfsPeer) {
          results.note(w.name(), "skipped in smoke mode");
          continue;
        }
        out.println("== " + w.name() + ": " + w.description());
        Set<String> before = new HashSet<>(results.workloads());
        long t0 = System.nanoTime();
        try {
          w.run(env, results);
        } catch (Exception e) {
          // One workload's failure is a result too; the rest of the suite still runs.
          results.note(w.name(), "failed: " + e);
          e.printStackTrace(out);
        }
        List<String> produced = new ArrayList<>(results.workloads());
        produced.removeAll(before);
        if (produced.isEmpty() && !results.notes(w.name()).isEmpty()) {
          produced.add(w.name());
        }
        for (String name : produced) {
          results.finish(name);
        }
        out.printf("== %s done in %.0f s%n", w.name(), (System.nanoTime() - t0) / 1e9);
      }
    }
    ratios(results);
    if (!results.of("ratio").isEmpty()) {
      results.finish("ratio");
    }
    machine.put("loadAverageAfter", Machine.loadAverage());
    results.finishSuite(machine);
    if (env.report != null) {
      PerformanceReport.write(env.report, results, machine, env);
      out.println("cairn bench: wrote " + env.report);
    }
    out.println("cairn bench: JSON in " + env.out.toAbsolutePath());
    return results;
  }

  /** Cairn / HDFS for each shared figure, and W1 against the disk limit. */
  static void ratios(Results r) {
    for (String w : List.of("W1", "W2")) {
      for (Figure f : r.of(w)) {
        double hdfs = r.median("HDFS " + w, f.name);
        if (!Double.isNaN(hdfs) && (f.unit.equals("MB/s") || f.unit.equals("ops/s"))) {
          r.add("ratio", w + " " + f.name + " Cairn/HDFS", "x", f.median() / hdfs);
        }
      }
    }
    double limit = r.median("limit", DiskLimit.PER_REPLICA);
    if (Double.isNaN(limit)) {
      return;
    }
    for (Figure f : r.of("W1")) {
      if (f.unit.equals("MB/s") && f.name.startsWith("write")) {
        r.add("ratio", "W1 " + f.name + " % of limit", "%", 100 * f.median() / limit);
      }
    }
    for (Figure f : r.of("HDFS W1")) {
      if (f.unit.equals("MB/s") && f.name.startsWith("write")) {
        r.add("ratio", "HDFS W1 " + f.name + " % of limit", "%", 100 * f.median() / limit);
      }
    }
  }
}
