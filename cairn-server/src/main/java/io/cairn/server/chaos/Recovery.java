package io.cairn.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end of a chaos run, once every fault is healed: wait for full replication, read every key on every
 * node, and check that each remaining file has every chunk on {@code replication} distinct nodes, present
 * on their disks.
 */
final class Recovery {
  private final ChaosCluster cluster;
  private final ChaosClient client;
  private final Path dataDir;

  Recovery(ChaosCluster cluster, ChaosClient client, Path dataDir) {
    this.cluster = cluster;
    this.client = client;
    this.dataDir = dataDir;
  }

  /** Waits until every node reports no under-replicated and no lost chunk; false on timeout. */
  boolean awaitFullReplication(long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      boolean all = true;
      for (int n = 1; n <= cluster.size() && all; n++) {
        JsonNode h = client.json(n, "/api/v1/cluster/health");
        all = h != null && h.path("underReplicatedChunks").asLong(-1) == 0 && h.path("lostChunks").asLong(-1) == 0
            && h.path("nodesAlive").asInt() == cluster.size();
      }
      if (all) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return false;
  }

  /** Reads every key on every node (recorded as final reads), retrying failed reads until the deadline. */
  void finalReads(List<String> keys, long deadlineNanos) throws InterruptedException {
    for (String key : keys) {
      for (int n = 1; n <= cluster.size(); n++) {
        while (!client.read(n, key, true).ok() && System.nanoTime() < deadlineNanos) {
          TimeUnit.MILLISECONDS.sleep(500);
        }
      }
    }
  }

  /**
   * Problems with the replicas of these files (empty when every chunk is listed on {@code replication}
   * distinct nodes and present in each one's chunk directory), retried until the deadline.
   */
  List<String> replicationProblems(Set<String> files, long deadlineNanos) throws InterruptedException {
    JsonNode health = client.json(1, "/api/v1/cluster/health");
    int replication = health == null ? 3 : health.path("replication").asInt(3);
    List<String> problems = check(files, replication);
    while (!problems.isEmpty() && System.nanoTime() < deadlineNanos) {
      TimeUnit.SECONDS.sleep(1);
      problems = check(files, replication);
    }
    return problems;
  }

  private List<String> check(Set<String> files, int replication) {
    List<String> problems = new ArrayList<>();
    for (String key : files) {
      JsonNode meta = client.json(1 + Math.floorMod(key.hashCode(), cluster.size()),
          "/api/v1/meta/" + ChaosClient.BUCKET + "/" + key);
      if (meta == null) {
        problems.add(key + ": no metadata");
        continue;
      }
      for (JsonNode chunk : meta.path("chunks")) {
        String id = chunk.path("chunkId").asText();
        Set<Integer> nodes = new HashSet<>();
        chunk.path("replicas").forEach(r -> nodes.add(r.asInt()));
        if (nodes.size() < replication) {
          problems.add(key + " chunk " + id + " on " + nodes + " only");
        }
        for (int n : nodes) {
          if (!Files.exists(chunkFile(n, id))) {
            problems.add(key + " chunk " + id + " listed on node " + n + " but missing from its disk");
          }
        }
      }
    }
    return problems;
  }

  /** A chunk's file in a node's store (docs/FORMAT.md: {@code store/chunks/<first two chars>/<id>}). */
  private Path chunkFile(int node, String chunkId) {
    return dataDir.resolve("node-" + node).resolve("store").resolve("chunks").resolve(chunkId.substring(0, 2))
        .resolve(chunkId);
  }
}
