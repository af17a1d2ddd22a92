package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import io.cairn.server.MonitorCommand;
import io.cairn.server.MonitorCommand.LocalPrometheus;
import io.cairn.server.metrics.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped monitoring against the real thing: three node processes, a real Prometheus (Debian's
 * package) on 127.0.0.1 with temporary storage, loaded from deploy/monitoring with a 1 s scrape interval.
 * After uploads, repeated downloads, listings and deletes, Prometheus' HTTP API must show every target up,
 * every one of the seed's 28 metric names on every node, data for every dashboard panel's query and for the
 * seed's five queries, and every alert rule evaluating cleanly; after a SIGKILL, up == 0 for that node and
 * the node-down alert pending. {@code cairn monitor} itself is run as a process too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {
  static final int MIB = 1 << 20;
  static final String BUCKET = "prom";
  /** Metrics that arrive with healing and scrubbing; their panels may be empty until that code exports them. */
  static final List<String> HEALING = List.of("cairn_under_replicated_chunks", "cairn_heal_bytes_remaining",
      "cairn_heal_bytes_total", "cairn_scrub_chunks_verified_total", "cairn_corrupt_replicas_found_total");
  static final List<String> SEED_NAMES = List.of(
      "cache_hits_total", "cache_misses_total", "cache_size", "cache_capacity",
      "replicated_chunks_total", "replicated_files_total", "replication_attempts_total",
      "replication_duration_seconds_count",
      "load_balancing_decisions_total", "node_selection_count", "load_balancing_duration_seconds_count",
      "active_nodes_count", "total_nodes_count", "node_failures_total", "node_recoveries_total",
      "raft_leader_changes_total", "raft_elections_total",
      "shards_created_total", "shard_size_bytes_count",
      "heartbeat_checks_total", "heartbeat_failures_total", "metadata_replications_total",
      "http_requests_total", "http_request_duration_seconds_count", "file_uploads_total", "file_downloads_total",
      "file_searches_total", "file_deletes_total");
  static final List<String> SEED_QUERIES = List.of(
      "rate(cache_hits_total[5m]) / (rate(cache_hits_total[5m]) + rate(cache_misses_total[5m])) * 100",
      "rate(replication_attempts_total{status=\"success\"}[5m]) / rate(replication_attempts_total[5m]) * 100",
      "histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))",
      "rate(http_requests_total[5m])",
      "active_nodes_count");

  static TestCluster c;
  static Path tmp;
  static LocalPrometheus prometheus;
  static String prometheusBinary;

  @BeforeAll
  static void up() throws IOException {
    prometheusBinary = ExternalTools.require("prometheus");
    tmp = Files.createTempDirectory("cairn-prom-it-");
    c = TestCluster.start(3, "384m");
    Path config = MonitorCommand.writeConfig(ExternalTools.monitoringDir(), tmp.resolve("config"), targets(), "1s");
    prometheus = LocalPrometheus.start(prometheusBinary, config.resolve("prometheus.yml"), tmp.resolve("data"),
        TestCluster.freePort(), tmp.resolve("prometheus.log"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void down() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (c != null) {
      c.close();
    }
    if (tmp != null) {
      TestCluster.deleteTree(tmp);
    }
  }

  static List<String> targets() {
    List<String> t = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      t.add(URI.create(c.url(n)).getAuthority());
    }
    return t;
  }

  @Test
  @Order(1)
  void everySeedMetricPanelAndRuleHasDataInPrometheus() throws Exception {
    generateTraffic();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(value("sum(cache_hits_total{job=\"cairn\"})")).isPositive();
      assertThat(value("sum(file_deletes_total{job=\"cairn\",status=\"success\"})")).isPositive();
      assertThat(value("count(up{job=\"cairn\"} == 1)")).isEqualTo(3);
    });

    JsonNode active = get("/api/v1/targets").path("data").path("activeTargets");
    assertThat(active).hasSize(3);
    active.forEach(t -> assertThat(t.path("health").asText()).as(t.path("scrapeUrl").asText()).isEqualTo("up"));

    // A labelled series appears at a node's first use of it and in Prometheus at the next scrape.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      for (String name : SEED_NAMES) {
        assertThat(query("count by (instance) ({__name__=\"" + name + "\",job=\"cairn\"})"))
            .as("every node has samples of %s", name).hasSize(3);
      }
      for (String name : List.of("cairn_peer_request_duration_seconds_count", "cairn_raft_commit_duration_seconds_count",
          "cairn_disk_used_bytes", "cairn_disk_free_bytes", "cairn_data_dir_free_bytes", "cairn_raft_is_leader",
          "jvm_memory_used_bytes", "process_cpu_seconds_total", "process_open_fds")) {
        assertThat(query("count by (instance) ({__name__=\"" + name + "\",job=\"cairn\"})")).as(name).hasSize(3);
      }
    });
    assertThat(value("sum(shards_created_total{job=\"cairn\"})")).isGreaterThanOrEqualTo(4);
    assertThat(value("max(active_nodes_count{job=\"cairn\"})")).isEqualTo(3);

    // rate() needs two samples of a series inside its window, so give Prometheus a few scrapes first.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertEveryPanelHasData();
      for (String q : SEED_QUERIES) {
        assertThat(query(q)).as("seed query %s", q).isNotEmpty();
      }
    });
    assertRulesEvaluate();
    assertNodeExpositionParses();
    report();
  }

  @Test
  @Order(2)
  void cairnMonitorRunsPrometheusWithTheShippedConfig() throws Exception {
    int port = TestCluster.freePort();
    String mode = MonitorCommand.findOnPath("docker") != null
        && ExternalTools.run(tmp, null, "docker", "info").exitCode() == 0 ? "never" : "auto";
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", System.getProperty("cairn.jar"), "monitor",
        "--docker", mode, "--prometheus-port", Integer.toString(port), "--scrape-interval", "1s",
        "--data", tmp.resolve("monitor").toString(), "--prometheus", prometheusBinary));
    for (String t : targets()) {
      cmd.addAll(List.of("--target", t));
    }
    Process p = new ProcessBuilder(cmd).directory(ExternalTools.monitoringDir().toFile()).redirectErrorStream(true)
        .start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          System.out.println("cairn monitor | " + line);
          lines.add(line);
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
    try {
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (out.stream().noneMatch(l -> l.startsWith("ready:")) && System.nanoTime() < deadline && p.isAlive()) {
        String l = lines.poll(1, TimeUnit.SECONDS);
        if (l != null) {
          out.add(l);
        }
      }
      assertThat(out).as("cairn monitor output").anyMatch(l -> l.startsWith("ready:"));
      assertThat(out).anyMatch(l -> l.equals("prometheus: http://127.0.0.1:" + port + "  (targets http://127.0.0.1:"
          + port + "/targets, alerts http://127.0.0.1:" + port + "/alerts)"));
      assertThat(out).anyMatch(l -> l.startsWith("grafana:")).anyMatch(l -> l.startsWith("dashboard:"));
      String base = "http://127.0.0.1:" + port;
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode t = getFrom(base, "/api/v1/targets").path("data").path("activeTargets");
        assertThat(t).hasSize(3);
        t.forEach(x -> assertThat(x.path("health").asText()).isEqualTo("up"));
      });
      assertThat(getFrom(base, "/api/v1/rules").toString()).contains("CairnNodeDown");
    } finally {
      p.destroy(); // SIGTERM: the command stops its Prometheus
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(listening(port)).as("Prometheus stopped with cairn monitor").isFalse();
  }

  @Test
  @Order(3)
  void aKilledNodeIsDownAndAlerted() throws Exception {
    String killed = URI.create(c.url(3)).getAuthority();
    c.kill(3);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(query("up{job=\"cairn\",instance=\"" + killed + "\"} == 0")).hasSize(1);
      assertThat(value("count(up{job=\"cairn\"} == 1)")).isEqualTo(2);
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        query("ALERTS{alertname=\"CairnNodeDown\",instance=\"" + killed + "\"}")).isNotEmpty());
    // The survivors' registry declares it DEAD (TestCluster: dead after 3 s): fault-tolerance metrics move.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(value("max(node_failures_total{job=\"cairn\"})")).isGreaterThanOrEqualTo(1);
      assertThat(value("max(active_nodes_count{job=\"cairn\"})")).isEqualTo(2);
    });
    assertEveryPanelHasData();
  }

  // ---- traffic

  static void generateTraffic() throws Exception {
    // Every node uploads a chunked file (not an inline one), so every node makes peer calls whoever leads.
    long[] sizes = {20L * MIB + 3, 3L * MIB, 64 * 1024 + 1};
    for (int i = 0; i < sizes.length; i++) {
      HttpResponse<String> r = c.http.send(HttpRequest.newBuilder(fileUri(i % 3 + 1, "f" + i))
          .PUT(Payloads.publisher(i, sizes[i])).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    for (int round = 0; round < 3; round++) {
      for (int node = 1; node <= 3; node++) {
        for (int i = 0; i < sizes.length; i++) {
          HttpResponse<byte[]> r = c.http.send(HttpRequest.newBuilder(fileUri(node, "f" + i)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat((long) r.body().length).isEqualTo(sizes[i]);
        }
      }
    }
    send(HttpRequest.newBuilder(URI.create(c.url(2) + "/api/v1/files/" + BUCKET + "?q=f")).build(), 200);
    send(HttpRequest.newBuilder(URI.create(c.url(3) + "/search")).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("username=" + BUCKET
        + "&filename=f")).build(), 200);
    send(HttpRequest.newBuilder(fileUri(1, "f2")).DELETE().build(), 204);
    send(HttpRequest.newBuilder(fileUri(2, "never-there")).build(), 404);
  }

  static URI fileUri(int node, String key) {
    return URI.create(c.url(node) + "/api/v1/files/" + BUCKET + "/" + key);
  }

  static void send(HttpRequest req, int expected) throws Exception {
    assertThat(c.http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode()).as(req.uri().toString())
        .isEqualTo(expected);
  }

  // ---- checks

  static void assertEveryPanelHasData() throws Exception {
    JsonNode dash = Json.MAPPER.readTree(ExternalTools.monitoringDir().resolve("grafana_dashboard.json").toFile());
    List<String> empty = new ArrayList<>();
    int checked = 0;
    for (JsonNode p : dash.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      String expr = p.path("targets").get(0).path("expr").asText();
      if (query(expr).isEmpty()) {
        String healing = HEALING.stream().filter(expr::contains).findFirst().orElse(null);
        if (healing == null || !query("count({__name__=\"" + healing + "\"})").isEmpty()) {
          empty.add(p.path("title").asText() + ": " + expr);
        }
        continue;
      }
      checked++;
    }
    assertThat(empty).as("panels whose query returns nothing").isEmpty();
    System.out.println("PrometheusIT: " + checked + " dashboard panel queries returned data");
  }

  static void assertRulesEvaluate() throws Exception {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<String> rules = new ArrayList<>();
      for (JsonNode g : get("/api/v1/rules").path("data").path("groups")) {
        for (JsonNode r : g.path("rules")) {
          rules.add(r.path("name").asText());
          assertThat(r.path("health").asText()).as(r.path("name").asText() + " " + r.path("lastError").asText())
              .isEqualTo("ok");
        }
      }
      assertThat(rules).hasSize(16).contains("CairnNodeDown", "CairnNoRaftLeader", "CairnDiskAlmostFull",
          "CairnHighErrorRate", "CairnHighLatencyP95", "CairnUnderReplicatedChunks");
    });
    assertThat(query("ALERTS{alertstate=\"firing\"}")).as("nothing fires on a healthy cluster").isEmpty();
  }

  static void assertNodeExpositionParses() throws Exception {
    String promtool = ExternalTools.require("promtool");
    String text = c.http.send(HttpRequest.newBuilder(URI.create(c.url(1) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    ExternalTools.Run check = ExternalTools.run(tmp, text, promtool, "check", "metrics");
    for (String line : check.output().split("\n")) {
      if (!line.isBlank()) {
        assertThat(line).as("promtool check metrics").matches("(active|total)_nodes_count non-histogram and "
            + "non-summary metrics should not have \"_count\" suffix|node_selection_count non-histogram and "
            + "non-summary metrics should not have \"_count\" suffix");
      }
    }
  }

  /** Prints what a scrape costs: duration and samples per node. */
  static void report() throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : query("scrape_duration_seconds{job=\"cairn\"}")) {
      out.merge(r.path("metric").path("instance").asText(), "scrape " + r.path("value").get(1).asText() + " s",
          (a, b) -> a + ", " + b);
    }
    for (JsonNode r : query("scrape_samples_scraped{job=\"cairn\"}")) {
      out.merge(r.path("metric").path("instance").asText(), r.path("value").get(1).asText() + " samples",
          (a, b) -> a + ", " + b);
    }
    for (JsonNode r : query("count by (instance) ({job=\"cairn\"})")) {
      out.merge(r.path("metric").path("instance").asText(), r.path("value").get(1).asText() + " series",
          (a, b) -> a + ", " + b);
    }
    out.forEach((k, v) -> System.out.println("PrometheusIT: " + k + ": " + v));
    assertThat(value("max(scrape_duration_seconds{job=\"cairn\"})")).isLessThan(1.0);
  }

  // ---- Prometheus HTTP API

  static JsonNode query(String promql) throws Exception {
    JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(r.path("status").asText()).as(promql + " " + r).isEqualTo("success");
    return r.path("data").path("result");
  }

  static double value(String promql) throws Exception {
    JsonNode result = query(promql);
    return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  static JsonNode get(String path) throws Exception {
    return getFrom(prometheus.url(), path);
  }

  static JsonNode getFrom(String base, String path) throws Exception {
    HttpResponse<String> r = c.http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
