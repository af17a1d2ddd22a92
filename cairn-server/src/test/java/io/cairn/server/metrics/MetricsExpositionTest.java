package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The registry builds (no name the client library rejects) and exposes the seed's names exactly. */
class MetricsExpositionTest {
  @Test
  void everySeedNameIsExposedWithItsExactName() throws Exception {
    Metrics m = new Metrics();
    m.shardsCreated.inc();
    m.nodeSelection.labelValues("127.0.0.1:8080").inc();
    m.replicationAttempts.labelValues("success").inc();
    m.metadataReplications.labelValues("success").inc();
    m.httpRequests.labelValues("GET", "/x", "200").inc();
    m.httpDuration.labelValues("GET", "/x").observe(0.01);
    m.fileUploads.labelValues("success").inc();
    m.fileDownloads.labelValues("success").inc();
    m.fileSearches.labelValues("success").inc();
    m.fileDeletes.labelValues("success").inc();
    m.gauge("active_nodes_count", "a", () -> 3);
    m.gauge("total_nodes_count", "t", () -> 3);
    m.counterFrom("cache_hits_total", "h", () -> 1);
    m.counterFrom("cache_misses_total", "m", () -> 1);
    m.gauge("cache_size", "s", () -> 1);
    m.gauge("cache_capacity", "c", () -> 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.write(out);
    String text = out.toString(StandardCharsets.UTF_8);
    for (String name : new String[] {"cache_hits_total", "cache_misses_total", "cache_size ", "cache_capacity ",
        "replicated_chunks_total", "replicated_files_total", "replication_attempts_total{status=\"success\"}",
        "replication_duration_seconds_bucket", "load_balancing_decisions_total",
        "node_selection_count{node_ip=\"127.0.0.1:8080\"}", "load_balancing_duration_seconds_bucket",
        "active_nodes_count ", "total_nodes_count ", "node_failures_total", "node_recoveries_total",
        "raft_leader_changes_total", "raft_elections_total", "shards_created_total 1.0", "shard_size_bytes_bucket",
        "heartbeat_checks_total", "heartbeat_failures_total", "metadata_replications_total{status=\"success\"}",
        "http_requests_total{endpoint=\"/x\",method=\"GET\",status=\"200\"}", "http_request_duration_seconds_bucket",
        "file_uploads_total{status=\"success\"}", "file_downloads_total", "file_searches_total",
        "file_deletes_total"}) {
      assertThat(text).as(name).contains(name);
    }
  }

}
