package io.cairn.server.cluster;

import io.cairn.cluster.Balance;
import io.cairn.cluster.BalancePlanner;
import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.MetaStore;
import io.cairn.server.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evens out node utilization (after a node joins, or when capacities differ) by moving replicas from
 * the fullest to the emptiest nodes, on the leader only.
 *
 * <p>Each round measures the bytes the metadata lists on every ALIVE node (so a replica counts as gone
 * the moment its move commits) and, when some node is outside {@code tolerance} of the mean
 * utilization, plans moves with {@link BalancePlanner} (never two replicas on one node, zones kept).
 * Every move is: <b>copy</b> the verified chunk onto the target (fsynced) through the same
 * {@link ChunkCopier} healing uses, within its own bandwidth and concurrency budget; <b>switch</b> the
 * replica list through Raft with a compare-and-set on the file version and the old list, so a
 * concurrent overwrite or heal wins; the old copy is then unlisted and its node's <b>orphan sweep</b>
 * deletes it once it has been unlisted for the grace period, so readers holding the old list still
 * find it meanwhile. The chunk keeps its full replica count at every step.
 *
 * <p>Healing comes first: no round moves anything while a chunk is under-replicated.
 */
public final class Rebalancer {
  private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);
  private static final int MAX_MOVES_PER_PLAN = 100_000;

  private final MetaStore meta;
  private final ClusterMap cluster;
  private final Healer healer;
  private final RebalanceConfig config;
  private final ChunkCopier copier;
  private final Clock clock;
  private final AtomicLong movedChunks = new AtomicLong();
  private final AtomicLong movedBytes = new AtomicLong();
  private final AtomicLong failedMoves = new AtomicLong();
  private volatile RebalanceStatus status = RebalanceStatus.EMPTY;
  private boolean balancing;
  private long lastMoved;
  private long lastMillis;
  private double rate;

  public Rebalancer(MetaStore meta, ClusterMap cluster, ChunkTransport transport, Healer healer,
      RebalanceConfig config, Clock clock, Metrics metrics) {
    this.meta = meta;
    this.cluster = cluster;
    this.healer = healer;
    this.config = config;
    this.clock = clock;
    this.copier = new ChunkCopier(transport, Math.max(1 << 20, config.bytesPerSecond()), clock);
    metrics.counterFrom("cairn_rebalance_moved_chunks_total", "Replicas moved by the rebalancer", movedChunks::get);
    metrics.counterFrom("cairn_rebalance_moved_bytes_total", "Bytes copied by the rebalancer", movedBytes::get);
    metrics.counterFrom("cairn_rebalance_failed_moves_total", "Rebalancer moves that failed or were overtaken",
        failedMoves::get);
    metrics.gauge("cairn_rebalance_planned_bytes", "Bytes the leader's current rebalancing plan still moves",
        () -> status.plannedBytes());
    metrics.gauge("cairn_balance_max_deviation", "Largest relative deviation of a node's utilization from the mean",
        () -> status.maxDeviation());
  }

  public RebalanceStatus status() {
    return status;
  }

  /** One round: measure; on the leader, move chunks when some node is out of balance. */
  public void tick() {
    ReplicaCensus census = ReplicaCensus.take(meta);
    List<Balance.Node> nodes = aliveNodes(census);
    double mean = Balance.meanUtilization(nodes);
    boolean within = BalancePlanner.within(nodes, mean, config.tolerance());
    updateRate();
    if (!config.enabled()) {
      publish("off", nodes, census, mean, List.of());
      return;
    }
    if (!meta.isLeader()) {
      balancing = false;
      publish(within ? "balanced" : "unbalanced", nodes, census, mean, List.of());
      return;
    }
    if (healer.status().underReplicatedChunks() > 0) {
      publish(within ? "balanced" : "waiting-for-healing", nodes, census, mean, List.of());
      return;
    }
    List<BalancePlanner.Move<ReplicaCensus.Entry>> plan =
        within ? List.of() : BalancePlanner.plan(nodes, census.chunks(), config.tolerance(), MAX_MOVES_PER_PLAN);
    if (plan.isEmpty()) {
      if (balancing) {
        log.info("rebalancing done: every node within {} of mean utilization {} (max deviation {}); {} moved so far",
            pct(config.tolerance()), pct(mean), pct(Balance.maxDeviation(nodes)), ByteSize.human(movedBytes.get()));
      } else if (!within) {
        log.debug("unbalanced (max deviation {}) but no move improves it", pct(Balance.maxDeviation(nodes)));
      }
      balancing = false;
      publish(within ? "balanced" : "unbalanced", nodes, census, mean, List.of());
      return;
    }
    balancing = true;
    publish("balancing", nodes, census, mean, plan);
    announce(nodes, census, mean, plan);
    execute(plan);
    measureAfterMoves();
  }

  /** Publishes the figures as they stand after a round of moves, so health shows progress, not the plan's start. */
  private void measureAfterMoves() {
    ReplicaCensus census = ReplicaCensus.take(meta);
    List<Balance.Node> nodes = aliveNodes(census);
    double mean = Balance.meanUtilization(nodes);
    publish(BalancePlanner.within(nodes, mean, config.tolerance()) ? "balanced" : "balancing", nodes, census, mean,
        List.of());
  }

  private List<Balance.Node> aliveNodes(ReplicaCensus census) {
    List<Balance.Node> nodes = new ArrayList<>();
    for (NodeInfo n : cluster.nodes()) {
      if (n.state() == NodeState.ALIVE && n.capacityBytes() > 0) {
        nodes.add(new Balance.Node(n.id(), n.zone(), n.capacityBytes(), census.bytesOn(n.id())));
      }
    }
    return nodes;
  }

  private void announce(List<Balance.Node> nodes, ReplicaCensus census, double mean,
      List<BalancePlanner.Move<ReplicaCensus.Entry>> plan) {
    Balance.Node worst = nodes.get(0);
    for (Balance.Node n : nodes) {
      if (Math.abs(Balance.deviation(n, mean)) > Math.abs(Balance.deviation(worst, mean))) {
        worst = n;
      }
    }
    long bytes = plan.stream().mapToLong(m -> m.chunk().size()).sum();
    log.info("rebalancing: node {} at {} ({}, {} chunks) vs mean {}, moving {} chunks ({}) at up to {}/s, {} at once",
        worst.nodeId(), pct(worst.utilization()), ByteSize.human(worst.usedBytes()), census.chunksOn(worst.nodeId()),
        pct(mean), plan.size(), ByteSize.human(bytes), ByteSize.human(config.bytesPerSecond()), config.concurrency());
  }

  private void execute(List<BalancePlanner.Move<ReplicaCensus.Entry>> plan) {
    Semaphore slots = new Semaphore(config.concurrency());
    long started = clock.millis();
    long before = movedChunks.get();
    long bytesBefore = movedBytes.get();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (BalancePlanner.Move<ReplicaCensus.Entry> m : plan) {
        // Re-plan from fresh metadata every few intervals rather than work from a stale plan.
        if (clock.millis() - started > config.interval().toMillis() * 3 || !meta.isLeader()
            || healer.status().underReplicatedChunks() > 0) {
          break;
        }
        slots.acquireUninterruptibly();
        exec.submit(() -> {
          try {
            moveOne(m);
          } finally {
            slots.release();
          }
        });
      }
    }
    log.info("rebalancing round: moved {} chunk(s) ({}) in {} ms", movedChunks.get() - before,
        ByteSize.human(movedBytes.get() - bytesBefore), clock.millis() - started);
  }

  private void moveOne(BalancePlanner.Move<ReplicaCensus.Entry> m) {
    ReplicaCensus.Entry e = m.chunk().ref();
    ChunkRef c = e.chunk();
    List<Integer> sources = new ArrayList<>();
    sources.add(m.from()); // read from the full node: it is the one with load to shed
    c.replicas().stream().filter(n -> n != m.from()).forEach(sources::add);
    try {
      int length = copier.copy(c, sources, List.of(m.to()));
      cluster.placed(m.to(), length);
      boolean switched = meta.moveReplica(e.file().bucket(), e.file().key(), e.file().fileId(), c.index(),
          m.from(), m.to());
      if (switched) {
        movedChunks.incrementAndGet();
        movedBytes.addAndGet(length);
        log.debug("chunk {} moved from node {} to node {}: replicas {} -> now on {} instead of {}", c.chunkId(),
            m.from(), m.to(), c.replicas(), m.to(), m.from());
      } else {
        failedMoves.incrementAndGet();
        log.info("chunk {} not moved from node {} to {}: its file or replicas changed meanwhile (copy left for the "
            + "orphan sweep)", c.chunkId(), m.from(), m.to());
      }
    } catch (CairnException ex) {
      failedMoves.incrementAndGet();
      log.warn("could not move chunk {} from node {} to node {}: {}", c.chunkId(), m.from(), m.to(), ex.getMessage());
    }
  }

  private void updateRate() {
    long now = clock.millis();
    long moved = movedBytes.get();
    if (lastMillis > 0 && now > lastMillis) {
      double observed = (moved - lastMoved) * 1000.0 / (now - lastMillis);
      rate = rate == 0 ? observed : 0.7 * rate + 0.3 * observed;
    }
    lastMoved = moved;
    lastMillis = now;
  }

  private void publish(String state, List<Balance.Node> nodes, ReplicaCensus census, double mean,
      List<BalancePlanner.Move<ReplicaCensus.Entry>> plan) {
    List<RebalanceStatus.NodeBalance> out = new ArrayList<>();
    for (Balance.Node n : nodes) {
      out.add(new RebalanceStatus.NodeBalance(n.nodeId(), n.usedBytes(), census.chunksOn(n.nodeId()),
          n.utilization(), Balance.deviation(n, mean)));
    }
    long plannedBytes = plan.stream().mapToLong(m -> m.chunk().size()).sum();
    status = new RebalanceStatus(state, mean, Balance.maxDeviation(nodes), out, plan.size(), plannedBytes,
        movedChunks.get(), movedBytes.get(), balancing ? rate : 0);
  }

  /** A fraction as a percentage with enough digits to be told apart on nearly empty, huge nodes. */
  static String pct(double f) {
    double p = f * 100;
    double a = Math.abs(p);
    String fmt = a == 0 || a >= 10 ? "%.0f %%" : a >= 1 ? "%.1f %%" : a >= 0.01 ? "%.2f %%" : "%.2g %%";
    return String.format(Locale.ROOT, fmt, p);
  }
}
