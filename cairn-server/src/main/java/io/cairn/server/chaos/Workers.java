package io.cairn.server.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The chaos workload: writers, readers and deleters, each a thread sending one request at a time to a
 * random node (up or not: a client does not know) for a random key of a small key space, so that
 * operations on one key overlap and interleave with the faults.
 *
 * @param client the recording client
 * @param nodes number of nodes (ids 1..nodes)
 * @param keys key space
 * @param minSize smallest upload, in bytes (at least 1 KiB, so no two uploads have the same content)
 * @param maxSize largest upload, in bytes
 * @param thinkMillis longest pause between two operations of one worker
 * @param seed seed of the workers' random choices
 */
record Workers(ChaosClient client, int nodes, List<String> keys, int minSize, int maxSize, int thinkMillis,
    long seed) {
  Workers {
    if (minSize < 1024 || maxSize < minSize) {
      throw new IllegalArgumentException("upload sizes must satisfy 1 KiB <= min <= max");
    }
  }

  static List<String> keySpace(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%03d", i));
    }
    return List.copyOf(keys);
  }

  /** Runs the workload until {@code deadlineNanos} (System.nanoTime); returns once every worker finished. */
  void run(int writers, int readers, int deleters, long deadlineNanos) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < writers + readers + deleters; i++) {
      char kind = i < writers ? 'w' : i < writers + readers ? 'r' : 'd';
      Random rnd = new Random(seed * 31 + n++);
      threads.add(Thread.ofPlatform().name("chaos-" + kind + i).start(() -> loop(kind, rnd, deadlineNanos)));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void loop(char kind, Random rnd, long deadline) {
    while (System.nanoTime() < deadline) {
      int node = 1 + rnd.nextInt(nodes);
      String key = keys.get(rnd.nextInt(keys.size()));
      switch (kind) {
        case 'w' -> client.write(node, key, minSize + rnd.nextInt(maxSize - minSize + 1));
        case 'r' -> client.read(node, key, false);
        default -> client.delete(node, key);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(rnd.nextInt(thinkMillis + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
