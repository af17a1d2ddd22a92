package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ClusterView;
import io.cairn.common.Json;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.metrics.Metrics;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The aggregation against three real metrics registries, read through their text exposition. */
class SystemMetricsRouteTest {
  final Map<Integer, Metrics> registries = new HashMap<>();
  final Set<Integer> down = ConcurrentHashMap.newKeySet();
  final AtomicLong clock = new AtomicLong(1_000_000);
  volatile ClusterView view;
  SystemMetricsRoute route;

  static NodeInfo node(int id, NodeState state) {
    return new NodeInfo(id, "http://127.0.0.1:" + (8079 + id), "http://127.0.0.1:" + (8179 + id),
        "127.0.0.1:" + (9869 + id), 1L << 30, "", state);
  }

  @BeforeEach
  void cluster() {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      registries.put(id, new Metrics());
      nodes.add(node(id, NodeState.ALIVE));
    }
    view = new ClusterView(2, 5, nodes);
    NodeScraper scraper = new NodeScraper(n -> {
      if (down.contains(n.id())) {
        throw new ConnectException("Connection refused");
      }
      return PromTextTest.text(registries.get(n.id()));
    });
    route = new SystemMetricsRoute(() -> view, scraper, clock::get);
  }

  JsonNode report() {
    // Through Jackson, as the page receives it: no NaN, no Infinity.
    return Json.read(Json.write(route.report()), JsonNode.class);
  }

  void activity(int id, int ok, int failed) {
    Metrics m = registries.get(id);
    m.httpRequests.labelValues("GET", "/api/v1/files/{bucket}/<key>", "200").inc(ok);
    m.httpRequests.labelValues("PUT", "/api/v1/files/{bucket}/<key>", "503").inc(failed);
    for (int i = 0; i < ok; i++) {
      m.httpDuration.labelValues("GET", "/api/v1/files/{bucket}/<key>").observe(0.004);
    }
    m.fileUploads.labelValues("success").inc(ok);
    m.fileUploads.labelValues("failed").inc(failed);
    m.replicatedChunks.inc(3L * ok);
    m.replicationAttempts.labelValues("success").inc(3L * ok);
  }

  @Test
  void sumsCountersOverNodesAndKeepsTheSeedKeys() throws IOException {
    activity(1, 10, 0);
    activity(2, 20, 5);
    activity(3, 30, 5);
    registries.get(1).counterFrom("cache_hits_total", "h", () -> 30);
    registries.get(1).counterFrom("cache_misses_total", "m", () -> 10);
    registries.get(2).counterFrom("cache_hits_total", "h", () -> 10);
    registries.get(2).counterFrom("cache_misses_total", "m", () -> 50);
    registries.values().forEach(m -> m.raftLeaderChanges.inc(2));
    registries.get(3).raftLeaderChanges.inc(); // node 3 saw one change more (the others restarted)
    registries.get(1).nodeSelection.labelValues("127.0.0.1:8081").inc(6);
    registries.get(2).nodeSelection.labelValues("127.0.0.1:8081").inc(4);

    JsonNode r = report();

    assertThat(r.path("total_requests").asLong()).isEqualTo(70);
    assertThat(r.path("requests").path("failed").asLong()).isEqualTo(10);
    assertThat(r.path("success_rate").asDouble()).isEqualTo(85.714);
    assertThat(r.path("error_rate").asDouble()).isEqualTo(14.286);
    assertThat(r.path("cache_hit_rate").asDouble()).isEqualTo(40.0); // 40 hits of 100 lookups
    assertThat(r.path("replicated_chunks").asLong()).isEqualTo(180);
    assertThat(r.path("replication_success_rate").asDouble()).isEqualTo(100.0);
    assertThat(r.path("operations").path("uploads").path("total").asLong()).isEqualTo(70);
    assertThat(r.path("operations").path("uploads").path("success_rate").asDouble()).isEqualTo(85.714);
    assertThat(r.path("p95_response_time").asDouble()).isBetween(2.5, 5.0); // all in (2.5 ms, 5 ms]
    assertThat(r.path("cluster").path("leader_changes").asLong()).as("max, not sum").isEqualTo(3);
    assertThat(r.path("leader").asInt()).isEqualTo(2);
    assertThat(r.path("raft_term").asLong()).isEqualTo(5);
    assertThat(r.path("active_nodes").asInt()).isEqualTo(3);
    JsonNode sel = r.path("load_balancing").path("selections");
    assertThat(sel).hasSize(3);
    assertThat(sel.get(1).path("node_id").asInt()).isEqualTo(2);
    assertThat(sel.get(1).path("count").asLong()).isEqualTo(10);
    assertThat(sel.get(0).path("count").asLong()).isZero();
    assertThat(r.path("scrape").path("nodes_answered").asInt()).isEqualTo(3);
    assertThat(r.path("active_connections").asLong()).as("the scrapes themselves are not load").isZero();
  }

  @Test
  void ratesNeedTwoScrapesAndCoverTheWindow() {
    activity(1, 10, 0);
    JsonNode first = report();
    assertThat(first.path("requests_per_second").isNull()).isTrue();
    assertThat(first.path("requests").path("recent_p95_ms").isNull()).isTrue();
    assertThat(first.path("window_seconds").isNull()).isTrue();

    clock.addAndGet(500);
    assertThat(report().path("requests_per_second").isNull()).as("cached within a second").isTrue();

    clock.addAndGet(9_500);
    activity(1, 40, 0);
    activity(2, 10, 10);
    JsonNode second = report();
    assertThat(second.path("window_seconds").asDouble()).isEqualTo(10.0);
    assertThat(second.path("requests_per_second").asDouble()).isEqualTo(6.0); // 60 requests in 10 s
    assertThat(second.path("requests").path("errors_per_second").asDouble()).isEqualTo(1.0);
    assertThat(second.path("operations").path("uploads").path("per_second").asDouble()).isEqualTo(6.0);
    assertThat(second.path("requests").path("recent_p95_ms").asDouble()).isBetween(2.5, 5.0);
  }

  @Test
  void aNodeThatDoesNotAnswerIsReportedAndLeftOutOfTheSums() {
    activity(1, 10, 0);
    activity(3, 5, 0);
    down.add(3);
    view = new ClusterView(2, 6, List.of(node(1, NodeState.ALIVE), node(2, NodeState.ALIVE),
        node(3, NodeState.DEAD)));

    JsonNode r = report();

    assertThat(r.path("total_requests").asLong()).isEqualTo(10);
    assertThat(r.path("active_nodes").asInt()).isEqualTo(2);
    assertThat(r.path("total_nodes").asInt()).isEqualTo(3);
    assertThat(r.path("scrape").path("nodes_answered").asInt()).isEqualTo(2);
    assertThat(r.path("scrape").path("errors").get(0).path("node_id").asInt()).isEqualTo(3);
    assertThat(r.path("scrape").path("errors").get(0).path("error").asText()).contains("refused");
    JsonNode n3 = r.path("nodes").get(2);
    assertThat(n3.path("state").asText()).isEqualTo("DEAD");
    assertThat(n3.path("reachable").asBoolean()).isFalse();
    assertThat(n3.path("requests").isNull()).isTrue();
  }

  @Test
  void healingFiguresAreNullUntilAGaugeAppearsThenFollowTheLeader() {
    JsonNode before = report();
    assertThat(before.has("under_replicated_chunks")).isTrue();
    assertThat(before.path("under_replicated_chunks").isNull()).isTrue();
    assertThat(before.path("heal_bytes_remaining").isNull()).isTrue();
    assertThat(before.path("health").path("heal_progress").isNull()).isTrue();

    AtomicLong remaining = new AtomicLong(1000);
    registries.get(2).gauge(SystemMetricsReport.UNDER_REPLICATED, "t", () -> 4);
    registries.get(2).gauge(SystemMetricsReport.HEAL_REMAINING, "t", remaining::get);
    registries.get(1).gauge(SystemMetricsReport.UNDER_REPLICATED, "t", () -> 0); // a follower's view
    clock.addAndGet(2_000);
    JsonNode during = report();
    assertThat(during.path("under_replicated_chunks").asLong()).isEqualTo(4);
    assertThat(during.path("heal_bytes_remaining").asLong()).isEqualTo(1000);
    assertThat(during.path("health").path("heal_progress").asDouble()).isEqualTo(0.0);

    remaining.set(250);
    clock.addAndGet(2_000);
    JsonNode later = report();
    assertThat(later.path("health").path("heal_progress").asDouble()).isEqualTo(75.0);
    assertThat(later.path("health").path("heal_bytes_per_second").asDouble()).isEqualTo(375.0);
  }

  @Test
  void aRestartedNodeCountsFromZeroInTheWindow() {
    activity(1, 100, 0);
    report();
    registries.put(1, new Metrics()); // same node id, new process: counters back at zero
    activity(1, 5, 0);
    clock.addAndGet(10_000);
    JsonNode r = report();
    // Counters went down (100 -> 5): an increase of 5, never negative.
    assertThat(r.path("requests_per_second").asDouble()).isEqualTo(0.5);
  }
}
