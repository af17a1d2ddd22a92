package io.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * W5, failover: with a writer running against a follower, SIGKILL the Raft leader and measure the time
 * until a write succeeds again; the killed node is restarted before the next round. One round per pass
 * (5 in a full run, so the median is of 5).
 */
final class FailoverBench implements Workload {
  @Override
  public String name() {
    return "W5";
  }

  @Override
  public String description() {
    return "failover: seconds until writes resume after the leader is SIGKILLed";
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    int rounds = env.intSetting("w5.rounds", 5, 1);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try (BenchEnv.Lease lease = env.cluster(3)) {
      BenchCluster c = lease.c();
      int size = c.cluster.specs().size();
      for (int r = 0; r < rounds; r++) {
        int leader = c.cluster.awaitReady(Duration.ofSeconds(120));
        int via = leader % size + 1;
        write(http, c.url(via), "warm-" + r);
        c.cluster.kill(leader);
        long t0 = System.nanoTime();
        int attempt = 0;
        while (!write(http, c.url(via), "r" + r + "-" + attempt++)) {
          if (System.nanoTime() - t0 > 60e9) {
            throw new IllegalStateException("writes did not resume within 60 s");
          }
        }
        double gap = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "W5 round %d: leader node %d killed, writes resumed after %.2f s%n", r + 1,
            leader, gap);
        results.add(name(), "writes resume after leader SIGKILL", "s", gap);
        // Back for the next round, or for the next workload on a shared (smoke) cluster.
        if (r < rounds - 1 || !lease.owned()) {
          c.cluster.start(leader);
        }
      }
    }
  }

  static boolean write(HttpClient http, String base, String key) {
    try {
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files/failover/" + key))
          .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofString("x".repeat(8192))).build(),
          HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() == 201;
    } catch (Exception e) {
      return false;
    }
  }
}
