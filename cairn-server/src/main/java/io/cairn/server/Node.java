package io.cairn.server;

import io.cairn.chunk.ChunkCipher;
import io.cairn.chunk.ChunkStoreConfig;
import io.cairn.chunk.Envelope;
import io.cairn.chunk.FileChunkStore;
import io.cairn.chunk.Keyring;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.FileRecord;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.MetaConfig;
import io.cairn.meta.MetaStore;
import io.cairn.meta.RaftListener;
import io.cairn.cluster.NodeLoad;
import io.cairn.server.auth.AccountRoutes;
import io.cairn.server.auth.Accounts;
import io.cairn.server.auth.AdminBootstrap;
import io.cairn.server.auth.AuthSettings;
import io.cairn.server.auth.Authenticator;
import io.cairn.server.auth.BucketGuard;
import io.cairn.server.auth.OwnedFileService;
import io.cairn.server.auth.PasswordHasher;
import io.cairn.server.s3.S3Config;
import io.cairn.server.tls.TlsConfig;
import io.cairn.server.keys.KeyRotation;
import io.cairn.server.keys.KeyRoutes;
import io.cairn.server.s3.S3Credentials;
import io.cairn.server.s3.S3Server;
import io.cairn.server.cluster.MembershipWatcher;
import io.cairn.server.cluster.HealStatus;
import io.cairn.server.cluster.Healer;
import io.cairn.server.cluster.ReplicaRepairer;
import io.cairn.server.cluster.Scrubber;
import io.cairn.server.files.ChunkCache;
import io.cairn.server.metrics.CountingMetaStore;
import io.cairn.server.metrics.HttpMetrics;
import io.cairn.server.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;
import io.cairn.meta.RatisMetaStore;
import io.cairn.server.cluster.ChunkTransport;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.cluster.HeartbeatSender;
import io.cairn.server.cluster.LeaderDuties;
import io.cairn.server.cluster.OrphanSweeper;
import io.cairn.server.files.ReplicatedFileService;
import io.cairn.server.gateway.GatewayConfig;
import io.cairn.server.gateway.HttpGateway;
import io.cairn.server.gateway.Readiness;
import io.cairn.server.internal.InternalServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cairn node: the composition root. Opens the chunk store and the cluster key, joins the Raft
 * group, starts the internal and public HTTP servers, registers itself in the node registry and runs
 * the periodic work (heartbeats, leader duties, orphan sweep).
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NodeConfig config;
  private final FileChunkStore store;
  private final MetaStore meta;
  private final PeerClient peers;
  private final InternalServer internal;
  private final HttpGateway gateway;
  private final ScheduledExecutorService scheduler;
  private final Metrics metrics;
  private final MembershipWatcher membership;
  private final Healer healer;
  private final io.cairn.server.cluster.Rebalancer rebalancer;
  private final io.cairn.server.cluster.RaftMembership raftMembership;
  private final Scrubber scrubber;
  private final S3Server s3;
  private static final java.time.Duration SCRUB_INTERVAL = java.time.Duration.ofSeconds(10);
  private volatile boolean registered;
  /** Non-null when the public ports serve HTTPS; the address this node registers says so. */
  private final io.cairn.server.tls.TlsConfig tls;

  private final AdminBootstrap adminBootstrap;

  private Node(NodeConfig config, S3Config s3Config, AuthSettings auth, TlsConfig tls) {
    auth.checkBind(config.bindHost());
    this.config = config;
    this.tls = tls;
    Clock clock = Clock.systemUTC();
    Path dir = config.dataDir();
    mkdirs(dir.resolve("tmp"));
    log.info("node {}: starting with data dir {}, http {}, internal {}, raft {}, peers {}", config.nodeId(), dir,
        config.httpAddress(), config.internalAddress(), config.raftAddress(), config.peers());
    log.info("node {}: chunk size {}, replication {}, write quorum {}, cache {}, capacity {}", config.nodeId(),
        config.files().chunkSize(), config.files().replication(), config.files().writeQuorum(),
        config.files().cacheCapacity(), config.capacity());
    this.store = FileChunkStore.open(new ChunkStoreConfig(dir.resolve("store"), config.capacity(),
        ByteSize.ofMiB(64)));
    Envelope envelope = new Envelope(Keyring.fromEnvOrFile(System.getenv(), config.masterKeyFile()));
    log.info("node {}: master keys {}", config.nodeId(), envelope.keyring());
    ChunkCipher.warmUp();
    this.metrics = new Metrics();
    this.meta = new CountingMetaStore(RatisMetaStore.start(new MetaConfig(config.nodeId(), dir.resolve("meta"), config.bindHost(),
        config.peers(), config.electionTimeoutMin(), config.electionTimeoutMax(),
        java.time.Duration.ofSeconds(10), 10_000)), metrics);
    meta.addListener(raftMetrics());
    this.peers = new PeerClient(new InternalAuth(envelope.deriveKeys("cairn-internal-auth"), clock),
        config.files().chunkTimeout()).observe(metrics::peerCall);
    ClusterMap cluster = new ClusterMap(meta, store, config.nodeId());
    ChunkTransport transport = new ChunkTransport(cluster, store, peers);
    LeaderDuties duties = new LeaderDuties(meta, cluster, transport, config.cluster(), clock);
    int maxChunk = ChunkCipher.sealedLength(config.files().chunkSize().toIntExact());
    this.internal = InternalServer.start(config.bindHost(), config.internalPort(), store, duties,
        new InternalAuth(envelope.deriveKeys("cairn-internal-auth"), clock), maxChunk);
    ReplicaRepairer repairer = new ReplicaRepairer(meta, transport, metrics);
    ReplicatedFileService files = new ReplicatedFileService(meta, cluster, transport, envelope,
        config.files(), bad -> repairer.repairLater(bad.chunkId(), bad.nodeId()), metrics);
    this.healer = new Healer(meta, cluster, transport, config.cluster(), config.files().replication(), clock,
        metrics);
    this.rebalancer = new io.cairn.server.cluster.Rebalancer(meta, cluster, transport, healer,
        config.cluster().rebalance(), clock, metrics);
    this.raftMembership = new io.cairn.server.cluster.RaftMembership(meta, cluster);
    this.scrubber = new Scrubber(meta, store, repairer, config.cluster().scrubBytesPerSecond(), SCRUB_INTERVAL,
        config.nodeId(), metrics);
    registerStoreGauges(files);
    meta.addListener(new RaftListener() {
      @Override
      public void fileVersionRemoved(FileRecord removed) {
        files.forget(removed);
      }
    });
    Accounts accounts = new Accounts(meta.access(),
        PasswordHasher.standard(), envelope.deriveKeys("cairn-s3-secret-seal"), envelope.keyring().current().id(),
        S3Credentials.pairFor(s3Config, envelope));
    this.adminBootstrap = new AdminBootstrap(accounts, auth.credentialsFile());
    // Public routes see files through the ownership checks; background work uses `files` directly.
    this.gateway = HttpGateway.create(new GatewayConfig(config.bindHost(), config.httpPort(), dir.resolve("tmp"),
        config.maxUploadBytes(), tls), new OwnedFileService(files, meta), readiness());
    new Authenticator(auth.mode(), accounts, envelope.deriveKey("cairn-web-session"))
        .install(gateway.app());
    new AccountRoutes(accounts).register(gateway.app());
    auth.announce(config.nodeId(), config.bindHost());
    gateway.nodeExtras(n -> nodeExtras(cluster, n));
    HttpMetrics.install(gateway.app(), metrics);
    gateway.app().get("/metrics", ctx -> {
      ctx.contentType(metrics.contentType());
      metrics.write(ctx.outputStream());
    });
    gateway.app().get("/api/v1/cluster/health", ctx -> ctx.json(health(cluster)));
    gateway.app().post("/api/v1/nodes/{id}/decommission", ctx -> {
      AuthSettings.requireAdmin();
      ctx.json(decommission(cluster, ctx.pathParam("id")));
    });
    KeyRoutes.install(gateway.app(), new KeyRotation(meta, envelope, accounts::resealAccessKeys));
    io.cairn.server.web.WebUi.installSystemMetrics(gateway.app(), files, metrics, config.nodeId());
    gateway.start();
    this.s3 = startS3(s3Config, accounts.s3Credentials(), files);
    HeartbeatSender heartbeats = new HeartbeatSender(meta, cluster, store, peers, duties, clock, metrics);
    this.membership = new MembershipWatcher(cluster, metrics);
    OrphanSweeper sweeper = new OrphanSweeper(meta, store, config.cluster(), clock);
    this.scheduler = startLoops(heartbeats, duties, sweeper);
  }

  /** Starts a node; returns once its servers listen (joining the cluster continues in the background). */
  public static Node start(NodeConfig config) {
    return start(config, S3Config.defaults(-1));
  }

  /** Starts a node with an S3-compatible endpoint as {@code s3} says. */
  public static Node start(NodeConfig config, S3Config s3) {
    return start(config, s3, AuthSettings.defaults(config.dataDir()), null);
  }

  /** Starts a node whose public ports (HTTP gateway and S3) serve HTTPS with {@code tls} (null: HTTP). */
  public static Node start(NodeConfig config, S3Config s3, TlsConfig tls) {
    return start(config, s3, AuthSettings.defaults(config.dataDir()), tls);
  }

  /**
   * Starts a node with the given authentication settings and, unless {@code tls} is null, HTTPS on its
   * public ports; fails with INVALID_ARGUMENT when the settings do not fit the bind address (anonymous
   * access off loopback).
   */
  public static Node start(NodeConfig config, S3Config s3, AuthSettings auth, TlsConfig tls) {
    return new Node(config, s3, auth, tls);
  }

  /**
   * The S3 endpoint, or null when disabled. A port that cannot be bound is logged and the node runs
   * without S3 rather than not at all.
   */
  private S3Server startS3(S3Config s3Config,
      S3Credentials credentials, ReplicatedFileService files) {
    if (!s3Config.enabled()) {
      return null;
    }
    try {
      return S3Server.start(s3Config, config.bindHost(), files, credentials, metrics,
          () -> meta.leaderId() == config.nodeId() ? 1 : 0, new BucketGuard(meta));
    } catch (CairnException e) {
      log.error("node {}: S3 endpoint not started: {}", config.nodeId(), e.getMessage());
      return null;
    }
  }

  /** The S3 endpoint's port, or -1 when it is not running. */
  public int s3Port() {
    return s3 == null ? -1 : s3.port();
  }

  public int httpPort() {
    return gateway.port();
  }

  public boolean ready() {
    return registered && meta.leaderId() != 0;
  }

  private Readiness readiness() {
    return new Readiness() {
      @Override
      public boolean ready() {
        return Node.this.ready();
      }

      @Override
      public String detail() {
        return registered
            ? (meta.leaderId() == 0 ? "no leader known yet" : "leader is node " + meta.leaderId())
            : "not yet registered in the cluster";
      }
    };
  }

  private ScheduledExecutorService startLoops(HeartbeatSender heartbeats, LeaderDuties duties,
      OrphanSweeper sweeper) {
    AtomicInteger n = new AtomicInteger();
    // Healing and rebalancing rounds block their thread for up to a few intervals; keep room for the rest.
    ScheduledExecutorService s = Executors.newScheduledThreadPool(6,
        r -> Thread.ofPlatform().daemon().name("cairn-cluster-loop-" + n.incrementAndGet()).unstarted(r));
    long hbMillis = config.cluster().heartbeatInterval().toMillis();
    s.scheduleWithFixedDelay(guard("registration", this::registerUntilDone), 0, 500, TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(guard("heartbeat", heartbeats::tick), hbMillis, hbMillis, TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(guard("leader duties", duties::tick), hbMillis, hbMillis, TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(guard("membership", membership::tick), 0, 500, TimeUnit.MILLISECONDS);
    long heal = config.cluster().healInterval().toMillis();
    s.scheduleWithFixedDelay(guard("healing", healer::tick), heal, heal, TimeUnit.MILLISECONDS);
    long rebalance = config.cluster().rebalance().interval().toMillis();
    s.scheduleWithFixedDelay(guard("rebalancing", rebalancer::tick), rebalance, rebalance, TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(guard("raft membership", raftMembership::tick), hbMillis * 2, hbMillis * 2,
        TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(guard("scrub", scrubber::tick), SCRUB_INTERVAL.toMillis(), SCRUB_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    long sweep = config.cluster().sweepInterval().toMillis();
    s.scheduleWithFixedDelay(guard("orphan sweep", sweeper::sweep), sweep, sweep, TimeUnit.MILLISECONDS);
    return s;
  }

  private void registerUntilDone() {
    if (registered) {
      adminBootstrap.tryOnce();
      return;
    }
    String http = tls == null ? config.httpAddress() : config.httpAddress().replaceFirst("^http://", "https://");
    NodeInfo self = new NodeInfo(config.nodeId(), http, config.internalAddress(),
        config.raftAddress(), config.capacity().bytes(), config.zone(), NodeState.ALIVE);
    try {
      meta.registerNode(self);
      registered = true;
      log.info("node {}: registered in the cluster; leader is node {} (term {})", config.nodeId(),
          meta.leaderId(), meta.term());
    } catch (CairnException e) {
      log.debug("node {}: registration postponed: {}", config.nodeId(), e.getMessage());
    }
  }

  private RaftListener raftMetrics() {
    return new RaftListener() {
      @Override
      public void leaderChanged(int leaderId, long term) {
        if (leaderId != 0) {
          metrics.raftLeaderChanges.inc();
        }
      }

      @Override
      public void electionStarted(long term) {
        metrics.raftElections.inc();
      }
    };
  }

  private void registerStoreGauges(ReplicatedFileService files) {
    ChunkCache cache = files.cache();
    metrics.counterFrom("cache_hits_total", "Chunk reads served from the cache", cache::hits);
    metrics.counterFrom("cache_misses_total", "Chunk reads that missed the cache", cache::misses);
    metrics.gauge("cache_size", "Bytes of chunk data in the cache", cache::sizeBytes);
    metrics.gauge("cache_capacity", "Cache capacity in bytes", cache::capacityBytes);
    metrics.gauge("cairn_disk_used_bytes", "Chunk bytes stored on this node", store::usedBytes);
    metrics.gauge("cairn_disk_free_bytes", "Chunk bytes this node still accepts", store::freeBytes);
    metrics.dataDir(config.dataDir());
    metrics.gauge("cairn_data_dir_failed", "1 when the data dir failed with an I/O error (no new chunks)",
        () -> store.failure().isPresent() ? 1 : 0);
    metrics.counterFrom("cairn_chunks_quarantined_total", "Corrupt chunk files moved to quarantine",
        store::quarantinedCount);
  }

  /**
   * Drains a node: DECOMMISSIONED nodes get no new chunks, do not count as live replicas (so healing
   * copies their chunks elsewhere and drops them from the replica lists) and are never declared dead.
   */
  private Map<String, Object> decommission(ClusterMap cluster, String idText) {
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw CairnException.invalid("node id must be a number, was '" + idText + "'");
    }
    if (cluster.nodes().stream().noneMatch(n -> n.id() == id)) {
      throw new CairnException(io.cairn.common.ErrorCode.NOT_FOUND, "no node " + id + " in the registry");
    }
    long others = cluster.aliveIds().stream().filter(n -> n != id).count();
    if (others < config.files().writeQuorum()) {
      throw CairnException.invalid("decommissioning node " + id + " would leave " + others
          + " node(s) to store data; at least " + config.files().writeQuorum() + " are needed");
    }
    meta.setNodeState(id, NodeState.DECOMMISSIONED);
    log.info("node {} decommissioned: it takes no new chunks and its replicas will be re-created elsewhere", id);
    return Map.of("id", id, "state", NodeState.DECOMMISSIONED.name());
  }

  private Map<String, Object> health(ClusterMap cluster) {
    HealStatus h = healer.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("leader", meta.leaderId());
    out.put("nodesAlive", cluster.aliveIds().size());
    out.put("nodesTotal", cluster.nodes().size());
    out.put("replication", config.files().replication());
    out.put("underReplicatedChunks", h.underReplicatedChunks());
    out.put("lostChunks", h.lostChunks());
    out.put("bytesRemaining", h.bytesRemaining());
    out.put("healedBytes", h.healedBytes());
    out.put("healRateBytesPerSecond", Math.round(h.rateBytesPerSecond()));
    out.put("etaSeconds", h.etaSeconds() < 0 ? null : Math.round(h.etaSeconds()));
    out.put("status", h.lostChunks() > 0 ? "degraded-unreadable" : h.underReplicatedChunks() > 0 ? "healing" : "healthy");
    out.put("rebalance", rebalanceSection());
    io.cairn.meta.RaftMembers raft = meta.raftMembers();
    out.put("raft", Map.of("voters", raft.voters().keySet(), "listeners", raft.listeners().keySet(),
        "changing", raft.changing()));
    return out;
  }

  /** The rebalancer's view for /api/v1/cluster/health: balance figures on every node, progress on the leader. */
  private Map<String, Object> rebalanceSection() {
    io.cairn.server.cluster.RebalanceStatus r = rebalancer.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", r.state());
    out.put("tolerance", config.cluster().rebalance().tolerance());
    out.put("meanUtilization", r.meanUtilization());
    out.put("maxDeviation", r.maxDeviation());
    out.put("plannedChunks", r.plannedChunks());
    out.put("plannedBytes", r.plannedBytes());
    out.put("movedChunks", r.movedChunks());
    out.put("movedBytes", r.movedBytes());
    out.put("rateBytesPerSecond", Math.round(r.rateBytesPerSecond()));
    out.put("nodes", r.nodes());
    return out;
  }

  private Map<String, Object> nodeExtras(ClusterMap cluster, NodeInfo n) {
    NodeLoad load = cluster.load(n);
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("usedBytes", load.usedBytes());
    extras.put("freeBytes", load.freeBytes());
    if (n.id() == config.nodeId()) {
      extras.put("dataDirFailure", store.failure().orElse(null));
    }
    extras.put("lastHeartbeatAgeMs", n.id() == config.nodeId() ? 0 : cluster.heartbeatAgeMillis(n.id(),
        System.currentTimeMillis()));
    return extras;
  }

  /** Keeps a periodic task alive: a failed round is logged, the next round runs anyway. */
  private static Runnable guard(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("{} round failed: {}", what, e.toString());
      }
    };
  }

  private static void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + p, e);
    }
  }

  @Override
  public void close() {
    log.info("node {}: stopping", config.nodeId());
    scheduler.shutdownNow();
    if (s3 != null) {
      s3.stop();
    }
    gateway.stop();
    internal.stop();
    peers.close();
    meta.close();
    store.close();
    log.info("node {}: stopped", config.nodeId());
  }
}
