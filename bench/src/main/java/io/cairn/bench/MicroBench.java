package io.cairn.bench;

import io.cairn.bench.micro.Micro;

/** Micro: JMH on the chunk hot path (encrypt + checksum, durable chunk write), MB/s per core. */
final class MicroBench implements Workload {
  @Override
  public String name() {
    return "micro";
  }

  @Override
  public String description() {
    return "JMH: chunk encrypt + CRC32C and FileChunkStore.putAndSync, MB/s on one core";
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    for (Micro.Score s : Micro.run(env.smoke)) {
      String figure = s.name() + " (" + (s.chunkBytes() >> 10) + " KiB chunks)";
      s.mbPerSecond().forEach(v -> results.add(name(), figure, "MB/s/core", v));
    }
  }
}
