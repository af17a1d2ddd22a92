package io.cairn.bench;

import io.cairn.cluster.NodeLoad;
import io.cairn.cluster.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Placement balance: the seed's extreme ingest (1,500 files of 5-25 MB, 8 MiB chunks, 3 replicas) placed
 * on N nodes by the real {@link Placement} policy, with load figures that lag the way heartbeats do
 * (every uploading node sees other nodes' bytes only as of the last report). Prints each node's share of
 * stored bytes and its deviation from the mean.
 */
public final class PlacementBalance {
  private PlacementBalance() {}

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
    int reportEveryChunks = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    run(nodes, files, reportEveryChunks, new long[0]);
    long[] mixed = new long[nodes];
    for (int i = 0; i < nodes; i++) {
      mixed[i] = (i % 2 == 0 ? 2L : 1L) << 40;
    }
    run(nodes, files, reportEveryChunks, mixed);
  }

  static void run(int n, int files, int reportEvery, long[] capacities) {
    long chunk = 8L << 20;
    long[] stored = new long[n];
    long[] reported = new long[n];
    SplittableRandom rnd = new SplittableRandom(42);
    int chunks = 0;
    for (int f = 0; f < files; f++) {
      long size = 5_000_000 + rnd.nextLong(20_000_001);
      for (long off = 0; off < size; off += chunk) {
        long len = Math.min(chunk, size - off) + 28;
        List<NodeLoad> loads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long cap = capacities.length == 0 ? 1L << 40 : capacities[i];
          loads.add(new NodeLoad(i + 1, "", reported[i], cap - reported[i], 0));
        }
        for (int id : Placement.chooseTargets("f" + f + "-" + off, len, loads, 3)) {
          stored[id - 1] += len;
        }
        if (++chunks % reportEvery == 0) {
          System.arraycopy(stored, 0, reported, 0, n);
        }
      }
    }
    print(n, files, reportEvery, capacities, stored);
  }

  private static void print(int n, int files, int reportEvery, long[] caps, long[] stored) {
    double[] util = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      util[i] = caps.length == 0 ? stored[i] : stored[i] / (double) caps[i];
      mean += util[i] / n;
    }
    System.out.printf(Locale.ROOT, "placement: %d nodes, %d files of 5-25 MB, 3 replicas, loads refreshed every %d"
        + " chunks, %s capacities%n", n, files, reportEvery, caps.length == 0 ? "equal" : "mixed 2:1");
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double dev = (util[i] - mean) / mean * 100;
      worst = Math.max(worst, Math.abs(dev));
      System.out.printf(Locale.ROOT, "  node %d: %,15d bytes  deviation from mean %+.3f %%%n", i + 1, stored[i], dev);
    }
    System.out.printf(Locale.ROOT, "  worst deviation: %.3f %% (target: within 1 %%)%n", worst);
  }
}
