package io.cairn.server.files;

import io.cairn.cluster.NodeLoad;
import io.cairn.cluster.Placement;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeState;
import io.cairn.server.cluster.ChunkTransport;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.metrics.Metrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one sealed chunk to {@code replication} distinct nodes in parallel and returns the nodes that
 * acknowledged (each one after fsync). Nodes that fail are replaced by the next-best candidates until
 * the replication factor is met or no candidate is left; fewer than the write quorum is an error.
 */
final class ChunkReplicator {
  private static final Logger log = LoggerFactory.getLogger(ChunkReplicator.class);

  private final ClusterMap cluster;
  private final ChunkTransport transport;
  private final FilesConfig config;
  private final Metrics metrics;

  ChunkReplicator(ClusterMap cluster, ChunkTransport transport, FilesConfig config,
      Metrics metrics) {
    this.metrics = metrics;
    this.cluster = cluster;
    this.transport = transport;
    this.config = config;
  }

  List<Integer> replicate(String chunkId, byte[] sealed, long crc32c) {
    long started = System.nanoTime();
    // ALIVE nodes first; SUSPECT ones (late heartbeats) only when the ALIVE ones cannot take every replica.
    List<NodeLoad> candidates = new ArrayList<>(cluster.writeCandidates());
    List<NodeLoad> suspects = cluster.writeCandidates(NodeState.SUSPECT);
    Set<Integer> tried = new HashSet<>();
    List<Integer> stored = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    while (stored.size() < config.replication()) {
      if (tried.containsAll(candidates.stream().map(NodeLoad::nodeId).toList()) && !suspects.isEmpty()) {
        candidates.addAll(suspects);
        suspects = List.of();
      }
      List<NodeLoad> untried = candidates.stream().filter(n -> !tried.contains(n.nodeId())).toList();
      long decided = System.nanoTime();
      List<Integer> targets =
          Placement.chooseTargets(chunkId, sealed.length, untried, config.replication() - stored.size());
      recordDecision(targets, decided);
      if (targets.isEmpty() && suspects.isEmpty()) {
        break;
      }
      if (targets.isEmpty()) {
        candidates.addAll(suspects);
        suspects = List.of();
        continue;
      }
      tried.addAll(targets);
      stored.addAll(writeAll(chunkId, sealed, crc32c, targets, failures));
    }
    List<Integer> alive = candidates.stream().map(NodeLoad::nodeId).sorted().toList();
    metrics.replicationDuration.observe((System.nanoTime() - started) / 1e9);
    if (stored.size() < config.writeQuorum()) {
      boolean outOfSpace = failures.stream().allMatch(f -> f.contains("INSUFFICIENT_STORAGE") || f.contains("space"))
          && candidates.stream().anyMatch(n -> n.freeBytes() < sealed.length);
      throw new CairnException(outOfSpace ? ErrorCode.INSUFFICIENT_STORAGE : ErrorCode.INSUFFICIENT_REPLICAS, "chunk " + chunkId + " stored on "
          + stored.size() + " node(s), " + config.writeQuorum() + " required (alive nodes: " + alive + ")"
          + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
    }
    if (stored.size() < config.replication()) {
      log.warn("chunk {} placed on only {} of {} nodes (alive nodes: {}); healing will add the rest",
          chunkId, stored, config.replication(), alive);
    } else {
      log.info("chunk {} placed on {} (alive nodes: {})", chunkId, stored, alive);
    }
    metrics.replicatedChunks.inc();
    return stored;
  }

  private void recordDecision(List<Integer> targets, long startedNanos) {
    metrics.loadBalancingDuration.observe((System.nanoTime() - startedNanos) / 1e9);
    metrics.loadBalancingDecisions.inc();
    for (int node : targets) {
      metrics.nodeSelection.labelValues(cluster.nodeLabel(node)).inc();
    }
  }

  private List<Integer> writeAll(String chunkId, byte[] sealed, long crc, List<Integer> targets,
      List<String> failures) {
    List<Future<Integer>> writes = new ArrayList<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int node : targets) {
        writes.add(exec.submit(() -> writeOne(node, chunkId, sealed, crc)));
      }
    }
    List<Integer> ok = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      try {
        ok.add(writes.get(i).get());
        metrics.replicationAttempts.labelValues("success").inc();
      } catch (ExecutionException e) {
        metrics.replicationAttempts.labelValues("failed").inc();
        CairnException ce = CairnException.unwrap(e.getCause());
        failures.add("node " + targets.get(i) + ": " + (ce.code() == ErrorCode.INSUFFICIENT_STORAGE
            ? "INSUFFICIENT_STORAGE " : "") + ce.getMessage());
        log.warn("chunk {} could not be written to node {}: {}", chunkId, targets.get(i),
            CairnException.unwrap(e.getCause()).getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CairnException(ErrorCode.UNAVAILABLE, "interrupted while replicating " + chunkId, e);
      }
    }
    return ok;
  }

  private int writeOne(int node, String chunkId, byte[] sealed, long crc) {
    transport.write(node, chunkId, sealed, crc);
    cluster.placed(node, sealed.length);
    return node;
  }
}
