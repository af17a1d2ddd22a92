package io.cairn.bench;

import java.util.Arrays;

/** {@code ./cairn bench <workload> [args]}: benchmarks that print figures. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String what = args.length == 0 ? "help" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (what) {
      case "placement" -> PlacementBalance.main(rest);
      case "cache" -> CacheHitRate.main(rest);
      case "ingest" -> IngestBench.main(rest);
      case "failover" -> FailoverBench.main(rest);
      case "balance" -> BalanceBench.main(rest);
      default -> {
        System.out.println("""
            usage: ./cairn bench <workload> [args]
              placement [nodes=6] [files=1500] [report-every-chunks=8]   placement balance (policy simulation)
              cache [reads=200000]                                       cache hit rate: Cairn vs LRU, 80/20 and Zipf
              ingest [files=150] [clients=1,8]                           seed ingest on a fresh local cluster (MB/s)
              failover [rounds=5]                                        seconds until writes resume after SIGKILL
              balance [uploads=300] [nodes=6] [join=1]                   per-node bytes on real nodes; then a node joins
            """);
      }
    }
  }
}
