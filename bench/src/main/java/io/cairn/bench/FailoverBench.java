package io.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * W5, failover: with a writer running against a follower, SIGKILL the Raft leader and measure the time
 * until a write succeeds again; the killed node is restarted before the next round. Median of the rounds.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double[] gaps = new double[rounds];
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try (BenchCluster c = new BenchCluster(3, "512m", List.of())) {
      for (int r = 0; r < rounds; r++) {
        int leader = c.cluster.awaitReady(Duration.ofSeconds(120));
        int via = leader % 3 + 1;
        write(http, c.url(via), "warm-" + r);
        c.cluster.kill(leader);
        long t0 = System.nanoTime();
        int attempt = 0;
        while (!write(http, c.url(via), "r" + r + "-" + attempt++)) {
          if (System.nanoTime() - t0 > 60e9) {
            throw new IllegalStateException("writes did not resume within 60 s");
          }
        }
        gaps[r] = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "failover round %d: leader node %d killed, writes resumed after %.2f s%n", r + 1,
            leader, gaps[r]);
        c.cluster.start(leader);
      }
    }
    Stats s = new Stats(gaps);
    System.out.printf(Locale.ROOT, "failover W5: median %.2f s, min %.2f s, max %.2f s over %d rounds (target: 2 s)%n",
        s.pct(50), s.min(), s.max(), rounds);
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
