package io.cairn.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W3, the seed's Locust mix driven from Java: N users (one virtual thread each) over the form routes with
 * the Locust task weights upload 10, download 8, list 5, search 3, delete 2, status 1 and its 0.5-2 s wait
 * between tasks; uploads log-uniform 10 KB-5 MB; 80 % of downloads go to 20 popular files uploaded first,
 * 20 % to the user's own (w3.popular, 20). Bounded duration. Figures: requests/s, p50/p95/p99 over all requests, failures.
 */
final class MixedLoad implements Workload {
  private static final int[] WEIGHTS = {10, 8, 5, 3, 2, 1};

  @Override
  public String name() {
    return "W3";
  }

  @Override
  public String description() {
    return "seed-A mix over the form routes at 50 and 200 users (requests/s, p95, failures)";
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    int seconds = env.intSetting("w3.seconds", 30, 3);
    int popularCount = env.intSetting("w3.popular", 20, 5);
    String[] userCounts = env.setting("w3.users", "50,200", "50,200").split(",");
    boolean think = !"0".equals(env.setting("w3.think", "1", "1"));
    try (BenchEnv.Lease lease = env.cluster(3)) {
      HttpClient http = SeedFormClient.newHttp();
      SeedFormClient client = new SeedFormClient(http);
      List<String> bases = List.of(lease.c().url(1), lease.c().url(2), lease.c().url(3));
      for (int pass = 1; pass <= env.passes; pass++) {
        String popular = "w3-pop-p" + pass;
        List<long[]> popularFiles = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(pass);
        for (int i = 0; i < popularCount; i++) {
          int size = size(r);
          String failure = client.upload(bases.get(i % 3), popular, "pop-" + i + ".bin", -i - 1, size);
          if (failure != null) {
            throw new IllegalStateException("could not upload popular file " + i + ": " + failure);
          }
          popularFiles.add(new long[] {i, size});
        }
        for (String u : userCounts) {
          int users = Integer.parseInt(u.trim());
          Run run = new Run(client, bases, popular, popularFiles, "w3-p" + pass + "-u" + users, think);
          run.go(users, seconds);
          String op = users + " users";
          results.add(name(), op + " requests/s", "req/s", run.latencies.size() / run.elapsed);
          Stats s = new Stats(run.latencies.stream().mapToDouble(Double::doubleValue).toArray());
          results.add(name(), op + " latency p50", "ms", s.pct(50));
          results.add(name(), op + " latency p95", "ms", s.pct(95));
          results.add(name(), op + " latency p99", "ms", s.pct(99));
          results.add(name(), op + " failures", "count", run.failures.get());
          if (run.failures.get() > 0) {
            results.note(name(), String.format(Locale.ROOT, "pass %d, %d users: first failure: %s", pass, users,
                run.firstFailure));
          }
        }
      }
    }
  }

  /** Log-uniform 10 KB-5 MB, as the Locust file draws its upload sizes. */
  static int size(SplittableRandom r) {
    return (int) Math.exp(Math.log(10_000) + r.nextDouble() * (Math.log(5_000_000) - Math.log(10_000)));
  }

  /** One bounded run of N users. */
  private static final class Run {
    final SeedFormClient client;
    final List<String> bases;
    final String popular;
    final List<long[]> popularFiles;
    final String prefix;
    final boolean think;
    final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    final AtomicLong failures = new AtomicLong();
    final AtomicInteger seeds = new AtomicInteger(1000);
    volatile String firstFailure;
    double elapsed;

    Run(SeedFormClient client, List<String> bases, String popular, List<long[]> popularFiles, String prefix,
        boolean think) {
      this.client = client;
      this.bases = bases;
      this.popular = popular;
      this.popularFiles = popularFiles;
      this.prefix = prefix;
      this.think = think;
    }

    void go(int users, int seconds) throws InterruptedException {
      long t0 = System.nanoTime();
      long deadline = t0 + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        int id = u;
        threads.add(Thread.ofVirtual().start(() -> user(id, deadline)));
      }
      for (Thread t : threads) {
        t.join();
      }
      elapsed = (System.nanoTime() - t0) / 1e9;
    }

    private void user(int id, long deadline) {
      SplittableRandom r = new SplittableRandom(id * 31L + prefix.hashCode());
      String base = bases.get(id % bases.size());
      String bucket = prefix + "-" + id;
      List<long[]> own = Collections.synchronizedList(new ArrayList<>());
      while (System.nanoTime() < deadline) {
        int task = pick(r);
        if (task == 4 && own.isEmpty()) {
          continue; // as in the Locust file: nothing to delete, no request
        }
        long t0 = System.nanoTime();
        String failure;
        String what = "";
        try {
          what = switch (task) {
            case 0 -> "upload";
            case 1 -> "download";
            case 2 -> "list";
            case 3 -> "search";
            case 4 -> "delete";
            default -> "status";
          };
          failure = switch (task) {
            case 0 -> {
              int seed = seeds.incrementAndGet();
              int size = size(r);
              String f = client.upload(base, bucket, "f-" + seed + ".bin", seed, size);
              if (f == null) {
                own.add(new long[] {seed, size});
              }
              yield f;
            }
            case 1 -> {
              if (!own.isEmpty() && r.nextDouble() >= 0.8) {
                long[] f = own.get(r.nextInt(own.size()));
                yield client.download(base, bucket, "f-" + f[0] + ".bin", f[1]);
              }
              long[] f = popularFiles.get(r.nextInt(popularFiles.size()));
              yield client.download(base, popular, "pop-" + f[0] + ".bin", f[1]);
            }
            case 2 -> own.isEmpty() ? client.list(base, popular, null)
                : client.list(base, bucket, "f-" + own.get(own.size() - 1)[0] + ".bin");
            case 3 -> {
              if (own.isEmpty()) {
                yield client.search(base, popular, "pop-1", "pop-1.bin");
              }
              String f = "f-" + own.get(r.nextInt(own.size()))[0];
              yield client.search(base, bucket, f, f + ".bin");
            }
            case 4 -> client.delete(base, bucket, "f-" + own.remove(r.nextInt(own.size()))[0]
                + ".bin");
            default -> client.status(base);
          };
        } catch (Exception e) {
          failure = e.toString();
        }
        latencies.add((System.nanoTime() - t0) / 1e6);
        if (failure != null) {
          failures.incrementAndGet();
          if (firstFailure == null) {
            firstFailure = what + ": " + failure;
          }
        }
        if (think) {
          sleepMs(500 + r.nextInt(1500));
        }
      }
    }

    private static int pick(SplittableRandom r) {
      int x = r.nextInt(29);
      for (int i = 0; i < WEIGHTS.length; i++) {
        if ((x -= WEIGHTS[i]) < 0) {
          return i;
        }
      }
      return WEIGHTS.length - 1;
    }

    private static void sleepMs(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
