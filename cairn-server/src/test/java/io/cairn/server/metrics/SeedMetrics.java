package io.cairn.server.metrics;

import java.util.List;

/** The 28 metric names of the seed guide, as DESIGN.md lists them (histograms by family name). */
final class SeedMetrics {
  static final List<String> NAMES = List.of(
      "cache_hits_total", "cache_misses_total", "cache_size", "cache_capacity",
      "replicated_chunks_total", "replicated_files_total", "replication_attempts_total",
      "replication_duration_seconds",
      "load_balancing_decisions_total", "node_selection_count", "load_balancing_duration_seconds",
      "active_nodes_count", "total_nodes_count", "node_failures_total", "node_recoveries_total",
      "raft_leader_changes_total", "raft_elections_total",
      "shards_created_total", "shard_size_bytes",
      "heartbeat_checks_total", "heartbeat_failures_total", "metadata_replications_total",
      "http_requests_total", "http_request_duration_seconds", "file_uploads_total", "file_downloads_total",
      "file_searches_total", "file_deletes_total");

  private SeedMetrics() {}
}
