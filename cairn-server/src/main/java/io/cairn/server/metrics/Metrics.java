package io.cairn.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * Every metric a node exports, named once. The seed guide's names are kept exactly (DESIGN.md lists
 * them); metrics beyond those are named {@code cairn_<what>_<unit>}. Each is updated by the code path it
 * describes; gauges that mirror state elsewhere are callbacks, so they can never drift from it.
 *
 * <p>Counters in the client's 1.x model are exposed with a {@code _total} suffix; names the seed lists
 * without it ({@code node_selection_count}, {@code *_nodes_count}) are gauges so that they keep exactly
 * the listed name. The client refuses names ending in {@code _created} (OpenMetrics' creation-time
 * suffix), so {@code shards_created_total} is an {@link ExactNameCounter} that {@link #write} appends to
 * the registry's output; read the exposition with {@link #write} or {@link #scrapeText}, not the registry.
 *
 * <p>One registry per node (not the global default), so several nodes can live in one JVM in tests.
 */
public final class Metrics {
  /** Buckets for chunk sizes: up to the 8 MiB default and beyond for larger configured chunks. */
  static final double[] SHARD_BUCKETS = {4096, 65536, 262144, 1048576, 2097152, 4194304, 6291456, 8388608,
      16777216, 33554432, 67108864};
  /** Internal latencies (Raft commits, peer calls, chunk replication): sub-millisecond to a minute. */
  static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10, 30, 60};
  /** Client requests: from a metadata call (~1 ms) to a multi-GiB transfer (minutes). */
  static final double[] HTTP_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      30, 60, 120, 300};
  /** Load-balancing decisions: pure in-memory choices, microseconds. */
  static final double[] FAST_BUCKETS = {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
  private final List<ExactNameCounter> exactCounters = new CopyOnWriteArrayList<>();

  // Replication
  public final Counter replicatedChunks = counter("replicated_chunks_total", "Chunks stored on their replicas");
  public final Counter replicatedFiles = counter("replicated_files_total", "Files committed after replication");
  public final Counter replicationAttempts = Counter.builder().name("replication_attempts_total")
      .help("Replica writes by outcome").labelNames("status").register(registry);
  public final Histogram replicationDuration = Histogram.builder().name("replication_duration_seconds")
      .help("Time to store one chunk on all its replicas").classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);

  // Load balancing
  public final Counter loadBalancingDecisions = counter("load_balancing_decisions_total",
      "Placement and read-replica choices made");
  public final Gauge nodeSelection = Gauge.builder().name("node_selection_count")
      .help("Times each node was chosen by load balancing (monotonic)").labelNames("node_ip").register(registry);
  public final Histogram loadBalancingDuration = Histogram.builder().name("load_balancing_duration_seconds")
      .help("Time to make one load-balancing decision").classicUpperBounds(FAST_BUCKETS).register(registry);

  // Fault tolerance
  public final Counter nodeFailures = counter("node_failures_total", "Nodes seen going from ALIVE to DEAD");
  public final Counter nodeRecoveries = counter("node_recoveries_total", "Nodes seen coming back from DEAD");
  public final Counter raftLeaderChanges = counter("raft_leader_changes_total", "Raft leader changes seen");
  public final Counter raftElections = counter("raft_elections_total", "Raft elections started by this node");

  // Sharding
  public final ExactNameCounter shardsCreated = exact("shards_created_total", "Chunks cut from uploads");
  public final Histogram shardSize = Histogram.builder().name("shard_size_bytes")
      .help("Plaintext size of chunks cut from uploads").classicUpperBounds(SHARD_BUCKETS).register(registry);

  // Health
  public final Counter heartbeatChecks = counter("heartbeat_checks_total", "Heartbeats sent to the leader");
  public final Counter heartbeatFailures = counter("heartbeat_failures_total", "Heartbeats that failed");
  public final Counter metadataReplications = Counter.builder().name("metadata_replications_total")
      .help("Metadata changes committed through Raft, by outcome").labelNames("status").register(registry);
  public final Histogram raftCommitDuration = Histogram.builder().name("cairn_raft_commit_duration_seconds")
      .help("Time to commit one metadata change through Raft").classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);

  // HTTP
  public final Counter httpRequests = Counter.builder().name("http_requests_total")
      .help("HTTP requests by method, route and status").labelNames("method", "endpoint", "status")
      .register(registry);
  public final Histogram httpDuration = Histogram.builder().name("http_request_duration_seconds")
      .help("HTTP request duration").classicUpperBounds(HTTP_BUCKETS).labelNames("method", "endpoint")
      .register(registry);
  public final Counter fileUploads = fileOp("file_uploads_total", "Uploads by outcome");
  public final Counter fileDownloads = fileOp("file_downloads_total", "Downloads by outcome");
  public final Counter fileSearches = fileOp("file_searches_total", "Listings and searches by outcome");
  public final Counter fileDeletes = fileOp("file_deletes_total", "Deletes by outcome");
  public final Gauge activeConnections = Gauge.builder().name("cairn_http_active_requests")
      .help("HTTP requests being served").register(registry);

  // Node-to-node calls (chunk put/get/delete, heartbeats); op is one of PeerClient's few operations
  public final Histogram peerDuration = Histogram.builder().name("cairn_peer_request_duration_seconds")
      .help("Duration of calls to other nodes' internal endpoints, by operation")
      .classicUpperBounds(LATENCY_BUCKETS).labelNames("op").register(registry);
  public final Counter peerRequests = Counter.builder().name("cairn_peer_requests_total")
      .help("Calls to other nodes' internal endpoints, by operation and outcome").labelNames("op", "status")
      .register(registry);

  public Metrics() {
    JvmMetrics.builder().register(registry);
    // Outcomes exist from the start at 0, so every node exposes every seed name and rate() sees the first
    // event (a series born at 1 would make its first increase invisible).
    for (String status : new String[] {"success", "failed"}) {
      for (Counter c : new Counter[] {replicationAttempts, metadataReplications, fileUploads, fileDownloads,
          fileSearches, fileDeletes}) {
        c.labelValues(status);
      }
    }
  }

  private ExactNameCounter exact(String name, String help) {
    ExactNameCounter c = new ExactNameCounter(name, help);
    exactCounters.add(c);
    return c;
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  private Counter fileOp(String name, String help) {
    return Counter.builder().name(name).help(help).labelNames("status").register(registry);
  }

  /** Registers a gauge whose value is read from elsewhere at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** Registers a counter whose value is read from a monotonic source at scrape time. */
  public void counterFrom(String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** Records one call to a peer; PeerClient's observer. */
  public void peerCall(String op, long nanos, boolean ok) {
    peerDuration.labelValues(op).observe(nanos / 1e9);
    peerRequests.labelValues(op, ok ? "success" : "failed").inc();
  }

  /**
   * Size and free space of the file system holding a node's data directory (chunks, metadata, Raft log):
   * unlike {@code cairn_disk_free_bytes}, which is what the chunk store still accepts, this also sees
   * what the metadata and anything else on that disk use.
   */
  public void dataDir(Path dir) {
    FileStore fs;
    try {
      fs = Files.getFileStore(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + dir, e);
    }
    gauge("cairn_data_dir_size_bytes", "Size of the file system holding the data directory",
        () -> space(fs::getTotalSpace));
    gauge("cairn_data_dir_free_bytes", "Bytes usable on the file system holding the data directory",
        () -> space(fs::getUsableSpace));
  }

  private interface Space {
    long bytes() throws IOException;
  }

  private static double space(Space s) {
    try {
      return s.bytes();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** Writes every metric in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
    for (ExactNameCounter c : exactCounters) {
      c.write(out);
    }
    out.flush();
  }

  /** Every metric in the Prometheus text format, as {@code /metrics} serves it. */
  public String scrapeText() {
    var out = new java.io.ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public PrometheusRegistry registry() {
    return registry;
  }
}
