package io.cairn.server.it;

import static io.cairn.server.it.FaultIT.json;
import static io.cairn.server.it.FaultIT.put;
import static io.cairn.server.it.FaultIT.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A node joins a loaded, running cluster: it is added to the Raft group (as a listener: 3 voters
 * suffice for 4 nodes) and the node registry, the rebalancer fills it until every node is within ±5 %
 * of the mean, every file stays readable with 3 listed replicas throughout, and a restart of an original
 * node (whose --peers still lists only the first three) keeps working.
 */
class MembershipIT {
  static final int MIB = 1 << 20;
  static final String[] ARGS = {"--chunk-size", "1MiB", "--heal-interval", "PT0.5S", "--rebalance-interval", "PT1S",
      "--rebalance-concurrency", "4", "--rebalance-bandwidth", "64MiB", "--orphan-grace", "PT10S",
      "--sweep-interval", "PT2S"};

  @Test
  void aFourthNodeJoinsAndFillsToBalanceWithEveryFileReadable() throws Exception {
    try (TestCluster c = TestCluster.start(3, "384m", ARGS)) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        keys.add("join/f" + i);
        assertThat(put(c, 1 + i % 3, keys.get(i), 300 + i, (1L + i % 3) * MIB + i)).isEqualTo(201);
      }
      List<String> violations = new CopyOnWriteArrayList<>();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher = Thread.ofVirtual().start(() -> watchReplicas(c, keys, watching, violations));

      long t0 = System.nanoTime();
      int joined = c.join();
      c.awaitReady();
      double readySecs = (System.nanoTime() - t0) / 1e9;
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        JsonNode r = json(c, 1, "/api/v1/cluster/health").path("rebalance");
        assertThat(r.path("nodes")).hasSize(4);
        for (JsonNode n : r.path("nodes")) {
          assertThat(Math.abs(n.path("deviation").asDouble())).as("node %s: %s", n.path("id"), r).isLessThanOrEqualTo(0.05);
        }
      });
      double balancedSecs = (System.nanoTime() - t0) / 1e9;
      watching.set(false);
      watcher.join();

      JsonNode health = json(c, 1, "/api/v1/cluster/health");
      JsonNode r = health.path("rebalance");
      JsonNode onLeader = json(c, health.path("leader").asInt(), "/api/v1/cluster/health").path("rebalance");
      System.out.printf("node %d joined: ready after %.1f s, balanced after %.1f s; moved %d chunks (%d bytes)%n",
          joined, readySecs, balancedSecs, onLeader.path("movedChunks").asLong(), onLeader.path("movedBytes").asLong());
      for (JsonNode n : r.path("nodes")) {
        System.out.printf("  node %d: %d bytes in %d chunks, deviation %+.2f %%%n", n.path("id").asInt(),
            n.path("storedBytes").asLong(), n.path("chunks").asLong(), 100 * n.path("deviation").asDouble());
      }
      assertThat(violations).as("replica lists seen while rebalancing").isEmpty();
      assertThat(onLeader.path("movedChunks").asLong()).isPositive();
      assertThat(health.path("raft").path("voters")).hasSize(3);
      assertThat(health.path("raft").path("listeners").toString()).contains(Integer.toString(joined));
      assertThat(FaultIT.metric(c, health.path("leader").asInt(), "cairn_rebalance_moved_bytes_total")).isPositive();
      for (int i = 0; i < keys.size(); i++) {
        assertThat(sha(c, joined, keys.get(i))).isEqualTo(Payloads.sha256(300 + i, (1L + i % 3) * MIB + i));
      }

      // An original node restarts with its static 3-peer list; the configuration in its Raft log wins.
      int restarted = c.leader == 3 ? 2 : 3;
      c.kill(restarted);
      c.restart(restarted);
      c.awaitReady();
      assertThat(put(c, restarted, "join/after-restart", 999, 2L * MIB)).isEqualTo(201);
      assertThat(sha(c, joined, "join/after-restart")).isEqualTo(Payloads.sha256(999, 2L * MIB));
      JsonNode raft = json(c, restarted, "/api/v1/cluster/health").path("raft");
      assertThat(raft.path("listeners").toString()).contains(Integer.toString(joined));
    }
  }

  /** Every file keeps 3 distinct listed replicas while chunks move, and reads keep working. */
  private static void watchReplicas(TestCluster c, List<String> keys, AtomicBoolean watching, List<String> violations) {
    int round = 0;
    while (watching.get()) {
      try {
        String key = keys.get(round++ % keys.size());
        for (JsonNode chunk : json(c, 1, "/api/v1/meta/it/" + key).path("chunks")) {
          Set<Integer> distinct = new HashSet<>();
          chunk.path("replicas").forEach(n -> distinct.add(n.asInt()));
          if (chunk.path("replicas").size() != 3 || distinct.size() != 3) {
            violations.add(key + " chunk " + chunk.path("index") + ": " + chunk.path("replicas"));
          }
        }
        Thread.sleep(50);
      } catch (Exception e) {
        violations.add("watch failed: " + e);
        return;
      }
    }
  }
}
