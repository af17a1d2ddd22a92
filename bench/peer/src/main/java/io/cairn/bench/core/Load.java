package io.cairn.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop: {@code clients} threads take operation indexes 0..ops-1 until none is left. A failed
 * operation is counted (and its time kept) rather than ending the pass: an overloaded store that refuses
 * some writes is a result, not a crash of the benchmark.
 */
public final class Load {
  private Load() {}

  public static Timing run(String name, int clients, int ops, long bytes, Op op) throws Exception {
    double[] lat = new double[ops];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> first = new AtomicReference<>();
    ExecutorService exec = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < clients; t++) {
        fs.add(exec.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < ops; ) {
            long s = System.nanoTime();
            try {
              op.run(i);
            } catch (Exception e) {
              failures.incrementAndGet();
              first.compareAndSet(null, "op " + i + ": " + e);
            }
            lat[i] = (System.nanoTime() - s) / 1e6;
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      exec.shutdownNow();
    }
    return new Timing(name, (System.nanoTime() - t0) / 1e9, bytes, lat, failures.get(), first.get());
  }
}
