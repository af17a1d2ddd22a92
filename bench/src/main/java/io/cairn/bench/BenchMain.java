package io.cairn.bench;

import java.util.Arrays;
import java.util.List;

/**
 * {@code ./cairn bench <workload|all|smoke> [options]}: the benchmark suite (see bench/README.md).
 * {@code all} runs every workload; {@code smoke} runs each for a few seconds on one small cluster.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String what = args.length == 0 ? "help" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    Suite suite = new Suite();
    switch (what) {
      case "placement" -> PlacementBalance.main(rest.toArray(String[]::new));
      case "balance" -> BalanceBench.main(rest.toArray(String[]::new));
      case "all" -> suite.run(suite.workloads(), BenchEnv.parse(rest, false), System.out);
      case "smoke" -> suite.run(suite.workloads(), BenchEnv.parse(rest, true), System.out);
      default -> {
        Workload w = suite.find(what);
        if (w != null) {
          suite.run(List.of(w), BenchEnv.parse(rest, false), System.out);
        } else {
          usage(suite);
        }
      }
    }
    System.exit(0);
  }

  private static void usage(Suite suite) {
    StringBuilder b = new StringBuilder("""
        usage: ./cairn bench <what> [--passes N] [--out DIR] [--report FILE] [--smoke] [key=value ...]
          all          every workload below, then Cairn/HDFS and limit ratios (JSON in target/bench/)
          smoke        every workload for a few seconds on one small cluster (HDFS skipped)
          placement    placement balance (policy simulation, prints only)
          balance      per-node bytes on real nodes, then a node joins [uploads=300] [nodes=6] [join=1]
        """);
    for (Workload w : suite.workloads()) {
      b.append(String.format("  %-12s %s%n", w.name(), w.description()));
    }
    b.append("settings: w1.files w1.clients w2.files w2.clients w3.seconds w3.users w3.think w4.reads w5.rounds\n")
        .append("          w6.mb w6.passes w6.timeout limit.mb limit.small limit.dir hdfs.java\n");
    System.out.print(b);
  }
}
