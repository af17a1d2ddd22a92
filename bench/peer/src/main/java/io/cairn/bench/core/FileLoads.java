package io.cairn.bench.core;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The file sets of W1 (seed ingest: uniform 5-25 MB) and W2 (small files: 64 KiB each), and the write and
 * read passes over them, identical for every {@link Store}.
 */
public final class FileLoads {
  public static final int SMALL_FILE = 64 * 1024;

  private FileLoads() {}

  /** W1's sizes: uniform random 5-25 MB, the same sequence on every run and for every store. */
  public static long[] ingestSizes(int files) {
    SplittableRandom r = new SplittableRandom(7);
    long[] sizes = new long[files];
    for (int i = 0; i < files; i++) {
      sizes[i] = 5_000_000 + r.nextLong(20_000_001);
    }
    return sizes;
  }

  public static long[] smallSizes(int files) {
    long[] sizes = new long[files];
    Arrays.fill(sizes, SMALL_FILE);
    return sizes;
  }

  /** Writes every file {@code prefix + i} with {@code clients} concurrent writers. */
  public static Timing write(String name, Store store, String prefix, long[] sizes, int clients) throws Exception {
    return Load.run(name, clients, sizes.length, Arrays.stream(sizes).sum(),
        i -> store.write(prefix + i, sizes[i], i));
  }

  /** Reads every file back, checking its length. */
  public static Timing read(String name, Store store, String prefix, long[] sizes, int clients) throws Exception {
    return Load.run(name, clients, sizes.length, Arrays.stream(sizes).sum(), i -> {
      long got = store.read(prefix + i);
      if (got != sizes[i]) {
        throw new IOException("read " + got + " bytes of " + prefix + i + ", expected " + sizes[i]);
      }
    });
  }
}
