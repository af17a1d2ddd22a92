package io.cairn.bench;

import io.cairn.bench.core.FileLoads;
import io.cairn.bench.core.Store;
import io.cairn.bench.core.Timing;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A workload that writes a set of files and reads it back, per pass and per client count, on a fresh
 * 3-node cluster (replication 3, encryption on, every chunk fsynced): W1 (seed ingest, with each node's
 * memory sampled while it writes) and W2 (small files). The HDFS peer runs the same {@link FileLoads}.
 */
final class FileSetBench implements Workload {
  private final String name;
  private final String description;
  private final String writeOp;
  private final IntFunction<long[]> sizes;
  private final int fullFiles;
  private final int smokeFiles;
  private final String clients;
  private final boolean sampleMemory;

  private FileSetBench(String name, String description, String writeOp, IntFunction<long[]> sizes, int fullFiles,
      int smokeFiles, String clients, boolean sampleMemory) {
    this.name = name;
    this.description = description;
    this.writeOp = writeOp;
    this.sizes = sizes;
    this.fullFiles = fullFiles;
    this.smokeFiles = smokeFiles;
    this.clients = clients;
    this.sampleMemory = sampleMemory;
  }

  static FileSetBench ingest() {
    return new FileSetBench("W1", "seed ingest: files of 5-25 MB with 1 and 8 clients, then read back; node memory",
        "write", FileLoads::ingestSizes, 150, 2, "1,8", true);
  }

  static FileSetBench smallFiles() {
    return new FileSetBench("W2", "small files: 2,000 x 64 KiB with 16 clients, create then read", "create",
        FileLoads::smallSizes, 2000, 100, "16", false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  int files(BenchEnv env) {
    return env.intSetting(key("files"), fullFiles, smokeFiles);
  }

  int[] clients(BenchEnv env) {
    return Arrays.stream(env.setting(key("clients"), clients, clients).split(",")).mapToInt(Integer::parseInt)
        .toArray();
  }

  private String key(String setting) {
    return name.toLowerCase(java.util.Locale.ROOT) + "." + setting;
  }

  static String op(String op, int clients) {
    return op + " c=" + clients;
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    long[] set = sizes.apply(files(env));
    try (BenchEnv.Lease lease = env.cluster(3)) {
      Store store = new CairnStore(lease.c(), 3);
      for (int pass = 1; pass <= env.passes; pass++) {
        for (int k : clients(env)) {
          String prefix = name.toLowerCase(java.util.Locale.ROOT) + "-p" + pass + "-c" + k + "/f-";
          MemorySampler memory = sampleMemory ? new MemorySampler(lease.c(), 3) : null;
          Timing w = FileLoads.write(writeOp, store, prefix, set, k);
          if (memory != null) {
            memory.finish(results, "memory");
          }
          results.addTiming(name, op(writeOp, k), w);
          results.addTiming(name, op("read", k), FileLoads.read("read", store, prefix, set, k));
        }
      }
    }
  }
}
