package io.cairn.server.cluster;

import io.cairn.cluster.NodeLoad;
import io.cairn.cluster.Placement;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.FileRecord;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.FileScan;
import io.cairn.meta.MetaStore;
import io.cairn.server.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds chunks with fewer live replicas than the replication factor and, on the leader, copies them
 * from a good replica to new nodes.
 *
 * <p><b>Detection</b> runs on every node from its own applied metadata, so every node reports the same
 * health figures without asking the leader. A replica counts as live while its node is ALIVE or SUSPECT;
 * only DEAD (or unregistered) nodes make a chunk under-replicated, so a node that misses a few heartbeats
 * does not set off a storm of copies.
 *
 * <p><b>Repair</b> happens only on the leader (one decision-maker): fewest live replicas first, at most
 * {@code healConcurrency} copies at once and {@code healBytesPerSecond} of bandwidth. A copy is read from
 * a live replica and verified against the recorded CRC32C before it is written (and fsynced) on a node
 * chosen by placement among ALIVE nodes that do not hold it; then the replica list is replaced through
 * Raft, conditioned on the file version, so a concurrent overwrite wins. The dead node's old copy is no
 * longer listed, so it never serves reads again and its own orphan sweep removes it after the grace
 * period.
 */
public final class Healer {
  private static final Logger log = LoggerFactory.getLogger(Healer.class);
  private static final int SCAN_PAGE = 1000;

  private final MetaStore meta;
  private final ClusterMap cluster;
  private final ClusterConfig config;
  private final int replication;
  private final Clock clock;
  private final Metrics metrics;
  private final ChunkCopier copier;
  private final AtomicLong healedBytes = new AtomicLong();
  private final AtomicLong healedChunks = new AtomicLong();
  private volatile HealStatus status = HealStatus.EMPTY;
  private long lastRemaining = -1;
  private long lastMillis;
  private double rate;
  private boolean announced;

  public Healer(MetaStore meta, ClusterMap cluster, ChunkTransport transport, ClusterConfig config, int replication,
      Clock clock, Metrics metrics) {
    this.meta = meta;
    this.cluster = cluster;
    this.config = config;
    this.replication = replication;
    this.clock = clock;
    this.metrics = metrics;
    this.copier = new ChunkCopier(transport, config.healBytesPerSecond(), clock);
    metrics.gauge("cairn_under_replicated_chunks", "Chunks with fewer live replicas than the replication factor",
        () -> status.underReplicatedChunks());
    metrics.gauge("cairn_lost_chunks", "Chunks with no live replica", () -> status.lostChunks());
    metrics.gauge("cairn_heal_bytes_remaining", "Stored bytes still to copy to restore replication",
        () -> status.bytesRemaining());
    metrics.counterFrom("cairn_heal_bytes_total", "Bytes copied by healing", healedBytes::get);
    metrics.counterFrom("cairn_healed_chunks_total", "Replicas re-created by healing", healedChunks::get);
  }

  public HealStatus status() {
    return status;
  }

  /** One round: measure; on the leader, repair. Runs on one scheduler thread. */
  public void tick() {
    Map<Integer, NodeState> states = new HashMap<>();
    for (NodeInfo n : cluster.nodes()) {
      states.put(n.id(), n.state());
    }
    List<Task> tasks = scan(states);
    updateStatus(tasks);
    if (tasks.isEmpty() || !meta.isLeader()) {
      announced = false;
      return;
    }
    repair(tasks);
  }

  /** A chunk to heal and the replicas of it that are still live. */
  record Task(FileRecord file, ChunkRef chunk, List<Integer> live) {
    long missingBytes(int replication) {
      return (long) chunk.storedLength() * Math.max(0, replication - live.size());
    }
  }

  private List<Task> scan(Map<Integer, NodeState> states) {
    List<Task> tasks = new ArrayList<>();
    String cursor = null;
    do {
      FileScan page = meta.scanFilesLocal(cursor, SCAN_PAGE);
      for (FileRecord f : page.files()) {
        for (ChunkRef c : f.chunks()) {
          List<Integer> live = c.replicas().stream().filter(n -> isLive(states.get(n))).toList();
          if (live.size() < replication) {
            tasks.add(new Task(f, c, live));
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    tasks.sort(Comparator.comparingInt((Task t) -> t.live().size()));
    return tasks;
  }

  private static boolean isLive(NodeState s) {
    return s == NodeState.ALIVE || s == NodeState.SUSPECT;
  }

  private void updateStatus(List<Task> tasks) {
    long remaining = tasks.stream().mapToLong(t -> t.missingBytes(replication)).sum();
    long lost = tasks.stream().filter(t -> t.live().isEmpty()).count();
    long now = clock.millis();
    if (lastRemaining >= 0 && now > lastMillis) {
      double observed = Math.max(0, lastRemaining - remaining) * 1000.0 / (now - lastMillis);
      rate = rate == 0 ? observed : 0.7 * rate + 0.3 * observed;
    }
    if (remaining == 0) {
      rate = 0;
    }
    lastRemaining = remaining;
    lastMillis = now;
    double eta = remaining > 0 && rate > 0 ? remaining / rate : -1;
    status = new HealStatus(tasks.size(), lost, remaining, healedBytes.get(), rate, eta);
  }

  private void repair(List<Task> tasks) {
    if (!announced) {
      log.info("healing {} under-replicated chunk(s), {} to copy ({} with no live replica)", tasks.size(),
          io.cairn.common.ByteSize.human(status.bytesRemaining()), status.lostChunks());
      announced = true;
    }
    List<NodeLoad> candidates = cluster.writeCandidates();
    Semaphore slots = new Semaphore(config.healConcurrency());
    long started = clock.millis();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Task t : tasks) {
        if (t.live().isEmpty()) {
          continue;
        }
        if (clock.millis() - started > config.healInterval().toMillis() * 5 || !meta.isLeader()) {
          break; // Re-scan soon with fresh states rather than work from a stale plan.
        }
        slots.acquireUninterruptibly();
        exec.submit(() -> {
          try {
            healOne(t, candidates);
          } finally {
            slots.release();
          }
        });
      }
    }
  }

  private void healOne(Task t, List<NodeLoad> candidates) {
    ChunkRef c = t.chunk();
    List<NodeLoad> free = candidates.stream().filter(n -> !c.replicas().contains(n.nodeId())).toList();
    List<Integer> targets = Placement.chooseTargets(c.chunkId(), c.storedLength(), free,
        replication - t.live().size());
    if (targets.isEmpty()) {
      return; // Not enough healthy nodes; the chunk stays under-replicated and is counted as such.
    }
    try {
      int length = copier.copy(c, t.live(), targets);
      List<Integer> replicas = new ArrayList<>(t.live());
      replicas.addAll(targets);
      healedBytes.addAndGet((long) length * targets.size());
      healedChunks.addAndGet(targets.size());
      metrics.replicationAttempts.labelValues("success").inc(targets.size());
      boolean updated = meta.updateReplicas(t.file().bucket(), t.file().key(), t.file().fileId(), c.index(), replicas);
      log.info("chunk {} healed: replicas {} -> {}{}", c.chunkId(), c.replicas(), replicas,
          updated ? "" : " (file changed meanwhile; copy left for the orphan sweep)");
    } catch (CairnException e) {
      metrics.replicationAttempts.labelValues("failed").inc();
      log.warn("could not heal chunk {}: {}", c.chunkId(), e.getMessage());
    }
  }
}
