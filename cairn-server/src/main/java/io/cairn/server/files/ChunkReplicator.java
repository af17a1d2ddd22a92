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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger abandoned = new AtomicInteger();
  static final int MAX_ABANDONED = 4;
  static final long MIN_GRACE_MILLIS = 2000;

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
      stored.addAll(writeAll(chunkId, sealed, crc32c, targets, failures, config.writeQuorum() - stored.size()));
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

  /**
   * Writes to every target in parallel and returns the nodes that acknowledged. Once {@code needed}
   * writes have succeeded the rest get a grace period ({@link #graceMillis}); a write still running after
   * it is abandoned, not waited for, so one slow or cut-off peer costs an upload a little latency instead
   * of the whole peer timeout. An abandoned write that lands later is not listed in any record, so the
   * node's orphan sweep removes it; the chunk is simply under-replicated and healing adds the replica.
   * At most {@link #MAX_ABANDONED} writes may be abandoned at once (each holds a sealed chunk in memory);
   * beyond that the upload waits as it would without the grace period.
   */
  private List<Integer> writeAll(String chunkId, byte[] sealed, long crc, List<Integer> targets,
      List<String> failures, int needed) {
    long started = System.nanoTime();
    BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    Map<Integer, CompletableFuture<Void>> writes = new HashMap<>();
    for (int node : targets) {
      writes.put(node, CompletableFuture.runAsync(() -> {
        try {
          writeOne(node, chunkId, sealed, crc);
          outcomes.add(new Outcome(node, null));
        } catch (RuntimeException e) {
          outcomes.add(new Outcome(node, CairnException.unwrap(e)));
        }
      }, writers));
    }
    List<Integer> ok = new ArrayList<>();
    Set<Integer> pending = new HashSet<>(targets);
    long graceDeadline = needed <= 0 ? System.nanoTime() + graceMillis(0) * 1_000_000L : Long.MAX_VALUE;
    try {
      while (!pending.isEmpty()) {
        Outcome o;
        if (graceDeadline == Long.MAX_VALUE || abandoned.get() + pending.size() > MAX_ABANDONED) {
          o = outcomes.take();
        } else {
          o = outcomes.poll(Math.max(0, graceDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (o == null) {
            break;
          }
        }
        pending.remove(o.node());
        record(chunkId, o, ok, failures);
        if (graceDeadline == Long.MAX_VALUE && ok.size() >= needed) {
          graceDeadline = System.nanoTime() + graceMillis((System.nanoTime() - started) / 1_000_000L) * 1_000_000L;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, "interrupted while replicating " + chunkId, e);
    }
    for (int node : pending) {
      abandon(chunkId, node, writes.get(node), failures);
    }
    return ok;
  }

  /** How long the remaining replicas may take once the quorum is in: twice what the quorum took, at least 2 s. */
  static long graceMillis(long quorumMillis) {
    return Math.max(MIN_GRACE_MILLIS, 2 * quorumMillis);
  }

  private void record(String chunkId, Outcome o, List<Integer> ok, List<String> failures) {
    if (o.error() == null) {
      ok.add(o.node());
      metrics.replicationAttempts.labelValues("success").inc();
      return;
    }
    metrics.replicationAttempts.labelValues("failed").inc();
    failures.add("node " + o.node() + ": " + (o.error().code() == ErrorCode.INSUFFICIENT_STORAGE
        ? "INSUFFICIENT_STORAGE " : "") + o.error().getMessage());
    log.warn("chunk {} could not be written to node {}: {}", chunkId, o.node(), o.error().getMessage());
  }

  private void abandon(String chunkId, int node, CompletableFuture<Void> write, List<String> failures) {
    abandoned.incrementAndGet();
    write.whenComplete((v, e) -> abandoned.decrementAndGet());
    metrics.replicationAttempts.labelValues("failed").inc();
    failures.add("node " + node + ": still writing after the grace period");
    log.warn("chunk {}: node {} is still writing after the grace period; going on without it (healing adds "
        + "the replica, the orphan sweep removes a late copy)", chunkId, node);
  }

  /** The end of one replica write: the node and, when it failed, why. */
  private record Outcome(int node, CairnException error) {}

  private int writeOne(int node, String chunkId, byte[] sealed, long crc) {
    transport.write(node, chunkId, sealed, crc);
    cluster.placed(node, sealed.length);
    return node;
  }
}
