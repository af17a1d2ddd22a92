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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Every metric a node exports, named once. The seed guide's names are kept exactly (DESIGN.md lists
 * them); metrics beyond those are named {@code cairn_<what>_<unit>}. Each is updated by the code path it
 * describes; gauges that mirror state elsewhere are callbacks, so they can never drift from it.
 *
 * <p>Counters in the client's 1.x model are exposed with a {@code _total} suffix; names the seed lists
 * without it ({@code node_selection_count}, {@code *_nodes_count}) are gauges so that they keep exactly
 * the listed name.
 *
 * <p>One registry per node (not the global default), so several nodes can live in one JVM in tests.
 */
public final class Metrics {
  /** Buckets for chunk sizes: up to the 8 MiB default and beyond for larger configured chunks. */
  static final double[] SHARD_BUCKETS = {4096, 65536, 262144, 1048576, 2097152, 4194304, 6291456, 8388608,
      8388636, 16777216, 67108864};
  static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30, 60};
  static final double[] FAST_BUCKETS = {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

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
  /**
   * {@code shards_created_total}: client_java reserves the {@code _created} suffix (for counter creation
   * timestamps) and refuses this name, so it is kept here and written to the exposition by hand.
   */
  public final LongAdder shardsCreated = new LongAdder();
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
      .help("HTTP request duration").classicUpperBounds(LATENCY_BUCKETS).labelNames("method", "endpoint")
      .register(registry);
  public final Counter fileUploads = fileOp("file_uploads_total", "Uploads by outcome");
  public final Counter fileDownloads = fileOp("file_downloads_total", "Downloads by outcome");
  public final Counter fileSearches = fileOp("file_searches_total", "Listings and searches by outcome");
  public final Counter fileDeletes = fileOp("file_deletes_total", "Deletes by outcome");
  public final Gauge activeConnections = Gauge.builder().name("cairn_http_active_requests")
      .help("HTTP requests being served").register(registry);

  public Metrics() {
    JvmMetrics.builder().register(registry);
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

  /** Writes every metric in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
    String raw = "# HELP shards_created_total Chunks cut from uploads\n"
        + "# TYPE shards_created_total counter\n"
        + "shards_created_total " + (double) shardsCreated.sum() + "\n";
    out.write(raw.getBytes(StandardCharsets.UTF_8));
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public PrometheusRegistry registry() {
    return registry;
  }
}
