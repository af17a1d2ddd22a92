package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ClusterView;
import io.cairn.common.Json;
import io.cairn.common.NodeState;
import io.cairn.server.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's dashboard showed zeros because it read keys its API never sent. Here every key the pages
 * read must exist in the answer of /api/system-metrics (its value may be null, shown as "n/a").
 */
class DashboardKeysTest {
  /** Paths the scripts read besides the data-key attributes of dashboard.html. */
  static final List<String> SCRIPT_PATHS = List.of("generated_at", "scrape.nodes_answered", "scrape.nodes_total",
      "scrape.duration_ms", "scrape.errors", "requests.per_second", "requests.errors_per_second",
      "requests.recent_p95_ms", "requests.recent_avg_ms", "cache.recent_hit_rate", "load_balancing.selections",
      "sharding.histogram", "nodes", "health.heal_bytes_remaining", "health.heal_bytes_per_second",
      "health.under_replicated_chunks", "health.heal_progress");
  static final List<String> NODE_FIELDS = List.of("id", "address", "state", "leader", "reachable", "error",
      "requests", "cache_hit_rate", "disk_used_bytes", "disk_free_bytes", "heap_used_bytes", "uptime_seconds");
  /** The seed dashboard's own names. */
  static final List<String> SEED_KEYS = List.of("cache_hit_rate", "total_requests", "p95_response_time",
      "replicated_chunks", "replicated_files", "success_rate", "requests_per_second", "error_rate",
      "active_connections", "avg_response_time", "replication_success_rate", "active_nodes", "total_nodes");

  static List<String> dataKeys() {
    String html = new String(Assets.read("web/dashboard.html"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("data-key=\"([^\"]+)\"").matcher(html);
    List<String> keys = new ArrayList<>();
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  static JsonNode at(JsonNode root, String dotted) {
    JsonNode n = root;
    for (String part : dotted.split("\\.")) {
      if (n == null || !n.has(part)) {
        return null;
      }
      n = n.get(part);
    }
    return n;
  }

  @Test
  void everyKeyThePagesReadIsInTheAnswer() {
    Metrics metrics = new Metrics();
    ClusterView view = new ClusterView(1, 1, List.of(SystemMetricsRouteTest.node(1, NodeState.ALIVE)));
    SystemMetricsRoute route = new SystemMetricsRoute(() -> view,
        new NodeScraper(n -> PromTextTest.text(metrics)), System::currentTimeMillis);
    JsonNode r = Json.read(Json.write(route.report()), JsonNode.class);

    List<String> keys = dataKeys();
    assertThat(keys).hasSizeGreaterThan(40);
    List<String> missing = new ArrayList<>();
    for (String k : concat(keys, SCRIPT_PATHS, SEED_KEYS)) {
      if (at(r, k) == null) {
        missing.add(k);
      }
    }
    for (String f : NODE_FIELDS) {
      if (!r.path("nodes").get(0).has(f)) {
        missing.add("nodes[].".concat(f));
      }
    }
    assertThat(missing).as("keys the pages read but the API does not send").isEmpty();
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
