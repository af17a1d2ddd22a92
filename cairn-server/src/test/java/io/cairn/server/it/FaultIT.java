package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Crashes, disk damage and full disks against real node processes: no acknowledged byte is lost. */
class FaultIT {
  static final int MIB = 1 << 20;
  static final String[] FAST_UPKEEP = {"--heal-interval", "PT0.5S", "--scrub-rate", "256MiB"};

  @Test
  void killedNodesReplicasAreHealedOntoTheRemainingNodes() throws Exception {
    try (TestCluster c = TestCluster.start(4, "384m", FAST_UPKEEP)) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        keys.add("heal/f" + i);
        assertThat(put(c, 1 + i % 4, keys.get(i), i, 3L * MIB + i)).isEqualTo(201);
      }
      int victim = c.leader == 4 ? 3 : 4;
      c.kill(victim);
      int via = victim == 4 ? 1 : 4;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(stateOf(c, via, victim)).isEqualTo("DEAD");
        JsonNode h = json(c, via, "/api/v1/cluster/health");
        assertThat(h.path("underReplicatedChunks").asLong()).isZero();
        for (String key : keys) {
          assertThat(replicasOf(c, via, key)).hasSize(3).doesNotContain(victim);
        }
      });
      for (int i = 0; i < keys.size(); i++) {
        assertThat(sha(c, via, keys.get(i))).isEqualTo(Payloads.sha256(i, 3L * MIB + i));
      }
      assertThat(metric(c, via, "cairn_heal_bytes_total") + metric(c, c.leader, "cairn_heal_bytes_total"))
          .isPositive();
    }
  }

  @Test
  void aDecommissionedNodeIsDrainedWhileUploadsContinueThenLeavesTheRegistryAndRaft() throws Exception {
    try (TestCluster c = TestCluster.start(4, "384m", FAST_UPKEEP)) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        keys.add("drain/f" + i);
        assertThat(put(c, 1 + i % 4, keys.get(i), 100 + i, 2L * MIB + i)).isEqualTo(201);
      }
      int drained = c.leader == 4 ? 3 : 4;
      int via = drained == 4 ? 1 : 4;
      // Uploads keep running through the drain and the node's departure: the cluster stays writable.
      java.util.concurrent.atomic.AtomicBoolean uploading = new java.util.concurrent.atomic.AtomicBoolean(true);
      List<String> during = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread uploader = Thread.ofVirtual().start(() -> {
        for (int i = 0; uploading.get(); i++) {
          String key = "drain/during-" + i;
          try {
            if (put(c, via, key, 200 + i, MIB + i) == 201) {
              during.add(key);
            } else {
              failed.add(key);
            }
          } catch (Exception e) {
            failed.add(key + ": " + e);
          }
        }
      });
      HttpResponse<String> r = c.http.send(HttpRequest.newBuilder(URI.create(
          c.url(via) + "/api/v1/nodes/" + drained + "/decommission")).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(stateOf(c, via, drained)).as("registry entry of the drained node").isEqualTo("UNKNOWN");
        JsonNode raft = json(c, via, "/api/v1/cluster/health").path("raft");
        assertThat(raft.toString()).as("Raft configuration").doesNotContain(Integer.toString(drained));
      });
      uploading.set(false);
      uploader.join();
      assertThat(failed).as("uploads during the drain").isEmpty();
      assertThat(during).isNotEmpty();
      keys.addAll(during);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(json(c, via, "/api/v1/cluster/health").path("underReplicatedChunks").asLong()).isZero());
      for (String key : keys) {
        assertThat(replicasOf(c, via, key)).doesNotContain(drained);
      }
      for (int i = 0; i < during.size(); i++) {
        String key = during.get(i);
        int n = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
        assertThat(sha(c, via, key)).isEqualTo(Payloads.sha256(200 + n, MIB + n));
      }
      HttpResponse<String> unknown = c.http.send(HttpRequest.newBuilder(URI.create(
          c.url(via) + "/api/v1/nodes/99/decommission")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void corruptAndMissingReplicasAreDetectedAndRestored() throws Exception {
    try (TestCluster c = TestCluster.start(3, "384m", FAST_UPKEEP)) {
      assertThat(put(c, 1, "scrub/a", 1, 9L * MIB)).isEqualTo(201);
      assertThat(put(c, 1, "scrub/b", 2, 5L * MIB)).isEqualTo(201);
      JsonNode a = json(c, 1, "/api/v1/meta/it/scrub/a").path("chunks").get(0);
      JsonNode b = json(c, 1, "/api/v1/meta/it/scrub/b").path("chunks").get(0);
      Path corrupt = chunkFile(c, 2, a.path("chunkId").asText());
      Path missing = chunkFile(c, 3, b.path("chunkId").asText());
      byte[] bytes = Files.readAllBytes(corrupt);
      for (int i = 100; i < 164; i++) {
        bytes[i] ^= (byte) 0x5a;
      }
      Files.write(corrupt, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      Files.delete(missing);
      // Reads through the damaged nodes still return the right bytes (another replica serves them).
      assertThat(sha(c, 2, "scrub/a")).isEqualTo(Payloads.sha256(1, 9L * MIB));
      assertThat(sha(c, 3, "scrub/b")).isEqualTo(Payloads.sha256(2, 5L * MIB));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(missing).exists();
        assertThat(Files.readAllBytes(corrupt)).isNotEqualTo(bytes);
        assertThat(metric(c, 2, "cairn_corrupt_replicas_found_total")
            + metric(c, 1, "cairn_corrupt_replicas_found_total")
            + metric(c, 3, "cairn_corrupt_replicas_found_total")).isPositive();
      });
      assertThat(Files.list(c.nodeDir(2).resolve("store/quarantine")).count()).isPositive();
      assertThat(metric(c, 2, "cairn_chunks_quarantined_total")).isPositive();
    }
  }

  @Test
  void aFullNodeIsSkippedAndAFullClusterAnswers507WithNothingStored() throws Exception {
    try (TestCluster c = TestCluster.start(3, "384m",
        id -> id == 3 ? List.of("--capacity", "12MiB") : List.of("--capacity", "40MiB"))) {
      for (int i = 0; i < 3; i++) {
        assertThat(put(c, 1, "full/f" + i, i, 6L * MIB)).as("upload %d", i).isEqualTo(201);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(sha(c, 2, "full/f" + i)).isEqualTo(Payloads.sha256(i, 6L * MIB));
      }
      HttpResponse<String> tooBig = putResponse(c, 1, "full/huge", 9, 40L * MIB);
      assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(507);
      assertThat(get(c, 2, "full/huge").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withoutAQuorumUploadsFailFastAndChangeNothing() throws Exception {
    try (TestCluster c = TestCluster.start(3, "384m")) {
      int survivor = c.leader;
      for (int n = 1; n <= 3; n++) {
        if (n != survivor) {
          c.kill(n);
        }
      }
      long t0 = System.nanoTime();
      HttpResponse<String> r = putResponse(c, survivor, "quorum/x", 1, MIB);
      double secs = (System.nanoTime() - t0) / 1e9;
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(secs).as("fails fast").isLessThan(15);
      System.out.printf("upload without a quorum refused in %.2f s: %s%n", secs, r.body());
    }
  }

  @Test
  void writesResumeAfterTheLeaderIsKilled() throws Exception {
    try (TestCluster c = TestCluster.start(3, "384m")) {
      int old = c.leader;
      int via = old == 1 ? 2 : 1;
      assertThat(put(c, via, "failover/before", 1, MIB)).isEqualTo(201);
      c.kill(old);
      long t0 = System.nanoTime();
      int status = 0;
      int attempt = 0;
      while (status != 201 && System.nanoTime() - t0 < 30e9) {
        status = putResponse(c, via, "failover/after-" + attempt++, 2, 64 * 1024).statusCode();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("leader node %d killed: first write succeeded after %.2f s (%d attempts)%n", old, secs,
          attempt);
      assertThat(status).isEqualTo(201);
      assertThat(sha(c, via, "failover/before")).isEqualTo(Payloads.sha256(1, MIB));
    }
  }

  static Path chunkFile(TestCluster c, int node, String id) {
    return c.nodeDir(node).resolve("store/chunks").resolve(id.substring(0, 2)).resolve(id);
  }

  static int put(TestCluster c, int node, String key, long seed, long size) throws Exception {
    HttpResponse<String> r = putResponse(c, node, key, seed, size);
    if (r.statusCode() != 201) {
      System.err.println("PUT " + key + " -> " + r.statusCode() + " " + r.body());
    }
    return r.statusCode();
  }

  static HttpResponse<String> putResponse(TestCluster c, int node, String key, long seed, long size)
      throws Exception {
    return c.http.send(HttpRequest.newBuilder(URI.create(c.url(node) + "/api/v1/files/it/" + key))
        .PUT(Payloads.publisher(seed, size)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<InputStream> get(TestCluster c, int node, String key) throws Exception {
    return c.http.send(HttpRequest.newBuilder(URI.create(c.url(node) + "/api/v1/files/it/" + key)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  static String sha(TestCluster c, int node, String key) throws Exception {
    HttpResponse<InputStream> r = get(c, node, key);
    assertThat(r.statusCode()).isEqualTo(200);
    return Payloads.sha256(r.body());
  }

  static JsonNode json(TestCluster c, int node, String path) throws Exception {
    return Json.MAPPER.readTree(c.http.send(HttpRequest.newBuilder(URI.create(c.url(node) + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  static String stateOf(TestCluster c, int via, int node) throws Exception {
    for (JsonNode n : json(c, via, "/api/v1/cluster").path("nodes")) {
      if (n.path("id").asInt() == node) {
        return n.path("state").asText();
      }
    }
    return "UNKNOWN";
  }

  static Set<Integer> replicasOf(TestCluster c, int node, String key) throws Exception {
    Set<Integer> all = new HashSet<>();
    for (JsonNode chunk : json(c, node, "/api/v1/meta/it/" + key).path("chunks")) {
      chunk.path("replicas").forEach(n -> all.add(n.asInt()));
      assertThat(chunk.path("replicas")).hasSize(3);
    }
    return all;
  }

  /** Sum of every sample of a metric on one node (0 when absent). */
  static double metric(TestCluster c, int node, String name) throws Exception {
    String text = c.http.send(HttpRequest.newBuilder(URI.create(c.url(node) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
