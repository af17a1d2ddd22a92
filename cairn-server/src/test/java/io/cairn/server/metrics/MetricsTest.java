package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry itself: seed names and types, the exact-name counter, outcome labels present from the start. */
class MetricsTest {
  /** Seed families that Metrics registers itself (the rest are callbacks a Node registers). */
  static final Map<String, String> OWN_SEED_FAMILIES = Map.ofEntries(
      Map.entry("replicated_chunks_total", "counter"), Map.entry("replicated_files_total", "counter"),
      Map.entry("replication_attempts_total", "counter"), Map.entry("replication_duration_seconds", "histogram"),
      Map.entry("load_balancing_decisions_total", "counter"), Map.entry("node_selection_count", "gauge"),
      Map.entry("load_balancing_duration_seconds", "histogram"), Map.entry("node_failures_total", "counter"),
      Map.entry("node_recoveries_total", "counter"), Map.entry("raft_leader_changes_total", "counter"),
      Map.entry("raft_elections_total", "counter"), Map.entry("shards_created_total", "counter"),
      Map.entry("shard_size_bytes", "histogram"), Map.entry("heartbeat_checks_total", "counter"),
      Map.entry("heartbeat_failures_total", "counter"), Map.entry("metadata_replications_total", "counter"),
      Map.entry("http_requests_total", "counter"), Map.entry("http_request_duration_seconds", "histogram"),
      Map.entry("file_uploads_total", "counter"), Map.entry("file_downloads_total", "counter"),
      Map.entry("file_searches_total", "counter"), Map.entry("file_deletes_total", "counter"));

  @Test
  void seedFamiliesHaveTheirExactNamesAndTypes() {
    Metrics m = new Metrics();
    // Families whose labels name routes or nodes appear with their first series (on a node: the first request
    // and the first registry read).
    m.httpRequests.labelValues("GET", "/metrics", "200").inc();
    m.httpDuration.labelValues("GET", "/metrics").observe(0.01);
    m.nodeSelection.labelValues("127.0.0.1:8080");
    Scrape s = Scrape.of(m);
    OWN_SEED_FAMILIES.forEach((name, type) -> assertThat(s.types).as(name).containsEntry(name, type));
  }

  @Test
  void outcomeLabelsExistAtZeroBeforeAnythingHappens() {
    Scrape s = Scrape.of(new Metrics());
    for (String family : new String[] {"replication_attempts_total", "metadata_replications_total",
        "file_uploads_total", "file_downloads_total", "file_searches_total", "file_deletes_total"}) {
      for (String status : new String[] {"success", "failed"}) {
        assertThat(s.has(family, "status", status)).as(family + " " + status).isTrue();
        assertThat(s.value(family, "status", status)).isZero();
      }
    }
  }

  @Test
  void shardsCreatedIsWrittenUnderItsSeedNameAndCounts() {
    Metrics m = new Metrics();
    assertThat(Scrape.of(m).value("shards_created_total")).isZero();
    m.shardsCreated.inc();
    m.shardsCreated.inc(2);
    String text = m.scrapeText();
    assertThat(text).contains("# TYPE shards_created_total counter\nshards_created_total 3.0\n");
    assertThat(text).doesNotContain("shards_total");
  }

  @Test
  void exactNameCounterIsOnlyForNamesTheClientRefuses() {
    assertThatThrownBy(() -> new ExactNameCounter("chunks_total", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registered Counter");
    assertThatThrownBy(() -> new ExactNameCounter("shards_created", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExactNameCounter("a_created_total", "x").inc(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jvmAndProcessMetricsAreExported() {
    Scrape s = Scrape.of(new Metrics());
    assertThat(s.types).containsKeys("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds",
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds");
  }

  @Test
  void dataDirGaugesReadTheFileSystem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Metrics m = new Metrics();
    m.dataDir(dir);
    Scrape s = Scrape.of(m);
    assertThat(s.value("cairn_data_dir_size_bytes")).isPositive();
    assertThat(s.value("cairn_data_dir_free_bytes")).isPositive().isLessThanOrEqualTo(s.value("cairn_data_dir_size_bytes"));
  }

  @Test
  void histogramBucketsFitWhatTheyMeasure() {
    assertThat(Metrics.SHARD_BUCKETS).contains(8 * 1024 * 1024, 64 * 1024 * 1024).isSorted();
    assertThat(Metrics.LATENCY_BUCKETS[0]).isLessThanOrEqualTo(0.001);
    assertThat(Metrics.HTTP_BUCKETS[Metrics.HTTP_BUCKETS.length - 1]).isGreaterThanOrEqualTo(300);
    assertThat(Metrics.FAST_BUCKETS[0]).isLessThanOrEqualTo(0.00001);
  }
}
