package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.bench.core.FileLoads;
import io.cairn.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * W6, heal: a 4-node cluster holds N MB (files of 4 MB); one follower is SIGKILLed and the clock runs
 * until /api/v1/cluster/health on a survivor shows three nodes alive and no under-replicated or lost
 * chunk. The time includes the node's detection (--dead-after, 5 s by default); MB/s is the killed
 * node's stored bytes over that time, and over the time from detection alone.
 */
final class HealBench implements Workload {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @Override
  public String name() {
    return "W6";
  }

  @Override
  public String description() {
    return "heal: seconds to full replication after one of four nodes is SIGKILLed, and MB/s";
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    int mb = env.intSetting("w6.mb", 1000, 24);
    int passes = env.intSetting("w6.passes", 1, 1);
    int timeout = env.intSetting("w6.timeout", 600, 120);
    for (int pass = 1; pass <= passes; pass++) {
      try (BenchEnv.Lease lease = env.cluster(4)) {
        once(lease.c(), mb, pass, timeout, results);
      }
    }
  }

  private void once(BenchCluster c, int mb, int pass, int timeout, Results results) throws Exception {
    long[] sizes = new long[Math.max(1, mb / 4)];
    Arrays.fill(sizes, 4_000_000);
    FileLoads.write("fill", new CairnStore(c, 4), "w6-p" + pass + "/f-", sizes, 4);
    // The leader heals and reports healedBytes; a follower is the victim.
    int leader = c.cluster.awaitReady(Duration.ofSeconds(60));
    int victim = leader % 4 + 1;
    double held = usedBytes(c, leader, victim);
    JsonNode before = json(c.url(leader) + "/api/v1/cluster/health");
    long healedBefore = before == null ? 0 : before.path("healedBytes").asLong();
    c.cluster.kill(victim);
    long t0 = System.nanoTime();
    long detected = 0;
    boolean sawUnder = false;
    while (true) {
      JsonNode h = json(c.url(leader) + "/api/v1/cluster/health");
      if (h != null && h.path("nodesAlive").asInt() == 3) {
        detected = detected == 0 ? System.nanoTime() : detected;
        long under = h.path("underReplicatedChunks").asLong(-1);
        sawUnder |= under > 0;
        // The healer's counts are refreshed on its own schedule: right after detection they can still say 0,
        // so done means under-replication was seen and is gone (or the victim's bytes were all copied between
        // two polls; healedBytes alone could also count earlier healing still under way).
        boolean healed = sawUnder || h.path("healedBytes").asLong() - healedBefore >= 0.9 * held;
        if (healed && under == 0 && h.path("lostChunks").asLong(-1) == 0) {
          break;
        }
      }
      if (System.nanoTime() - t0 > timeout * 1e9) {
        throw new IllegalStateException("not fully replicated " + timeout + " s after node " + victim
            + " was killed; the leader's health: " + h);
      }
      Thread.sleep(200);
    }
    long done = System.nanoTime();
    double secs = (done - t0) / 1e9;
    double healSecs = (done - detected) / 1e9;
    System.out.printf(Locale.ROOT, "W6 pass %d: node %d killed holding %.0f MB; detected after %.1f s, fully"
        + " replicated after %.1f s%n", pass, victim, held / 1e6, (detected - t0) / 1e9, secs);
    results.add(name(), "MB held by the killed node", "MB", held / 1e6);
    results.add(name(), "seconds to full replication", "s", secs);
    results.add(name(), "heal MB/s (kill to healed)", "MB/s", held / 1e6 / secs);
    results.add(name(), "heal MB/s (detection to healed)", "MB/s", held / 1e6 / Math.max(healSecs, 1e-3));
    // The victim stays down: a full run closes the cluster, and smoke runs W6 last.
  }

  private double usedBytes(BenchCluster c, int via, int node) {
    JsonNode cluster = json(c.url(via) + "/api/v1/cluster");
    for (JsonNode n : cluster == null ? Json.MAPPER.createArrayNode() : cluster.path("nodes")) {
      if (n.path("id").asInt() == node) {
        return n.path("usedBytes").asDouble(Double.NaN);
      }
    }
    return Double.NaN;
  }

  private JsonNode json(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }
}
