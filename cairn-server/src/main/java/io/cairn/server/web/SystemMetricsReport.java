package io.cairn.server.web;

import static io.cairn.server.web.Figures.millis;
import static io.cairn.server.web.Figures.percent;
import static io.cairn.server.web.Figures.perSecond;
import static io.cairn.server.web.Figures.round;
import static io.cairn.server.web.Figures.whole;

import io.cairn.server.web.NodeScraper.NodeScrape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/system-metrics}: cluster-wide figures computed from every node's own
 * {@code /metrics} (see {@link NodeScraper}), never estimated or made up. A figure that cannot be known
 * is {@code null} (the page shows "n/a"): a rate before there are two scrapes to compare, a hit rate
 * with no lookups, a gauge no node exports yet.
 *
 * <p><b>Shape.</b> The seed dashboard's flat keys come first ({@code cache_hit_rate},
 * {@code total_requests}, {@code p95_response_time}, {@code replicated_chunks}, ...; percentages 0-100,
 * times in milliseconds, totals since each node started). Then one object per dashboard group:
 * {@code requests}, {@code operations}, {@code cache}, {@code replication}, {@code load_balancing},
 * {@code sharding}, {@code cluster}, {@code health}, per-node rows in {@code nodes}, and {@code scrape}
 * (which nodes answered). Keys starting {@code recent_} and ending {@code per_second} cover the
 * window between this scrape and an earlier one ({@code window_seconds}, about 10 s).
 *
 * <p><b>Aggregation.</b> Counters are summed over the nodes that answered. Counters every node keeps
 * for the same cluster-wide event (leader changes, node failures and recoveries) are the maximum over
 * nodes, since summing would count one event once per node. Healing gauges (every node derives them
 * from the replicated metadata) come from the leader, or else the highest any node reports; healed
 * bytes and chunks are counters of whichever node was leader, so they add up.
 */
final class SystemMetricsReport {
  static final String UNDER_REPLICATED = "cairn_under_replicated_chunks";
  static final String HEAL_REMAINING = "cairn_heal_bytes_remaining";
  static final String LOST = "cairn_lost_chunks";
  static final String HEALED_BYTES = "cairn_heal_bytes_total";
  static final String HEALED_CHUNKS = "cairn_healed_chunks_total";
  private static final String HTTP = "http_requests_total";
  private static final String HTTP_SECONDS = "http_request_duration_seconds";

  private final ClusterScrape now;
  private final Totals t;
  private final HealTracker heal;

  private SystemMetricsReport(ClusterScrape now, ClusterScrape base, HealTracker heal) {
    this.now = now;
    this.t = new Totals(now, base);
    this.heal = heal;
  }

  /** Builds the report; {@code base} is an earlier scrape for rates, or null. */
  static Map<String, Object> build(ClusterScrape now, ClusterScrape base, HealTracker heal) {
    return new SystemMetricsReport(now, base, heal).build();
  }

  private Map<String, Object> build() {
    Map<String, Object> requests = requests();
    Map<String, Object> operations = operations();
    Map<String, Object> cache = cache();
    Map<String, Object> replication = replication();
    Map<String, Object> cluster = ClusterSection.cluster(now, t);
    Map<String, Object> health = health();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("generated_at", Instant.ofEpochMilli(now.atMillis()).toString());
    out.put("window_seconds", round(t.windowSeconds()));
    seedKeys(out, requests, operations, cache, replication, cluster, health);
    out.put("requests", requests);
    out.put("operations", operations);
    out.put("cache", cache);
    out.put("replication", replication);
    out.put("load_balancing", ClusterSection.loadBalancing(now, t));
    out.put("sharding", ClusterSection.sharding(t));
    out.put("cluster", cluster);
    out.put("health", health);
    out.put("nodes", ClusterSection.nodes(now, t));
    out.put("scrape", scrape());
    return out;
  }

  /** The seed dashboard's names, flat; the same numbers as in the groups below. */
  private static void seedKeys(Map<String, Object> out, Map<String, Object> req, Map<String, Object> ops,
      Map<String, Object> cache, Map<String, Object> repl, Map<String, Object> cluster,
      Map<String, Object> health) {
    out.put("cache_hit_rate", cache.get("hit_rate"));
    out.put("cache_hits", cache.get("hits"));
    out.put("cache_misses", cache.get("misses"));
    out.put("cache_size", cache.get("size_bytes"));
    out.put("cache_capacity", cache.get("capacity_bytes"));
    out.put("total_requests", req.get("total"));
    out.put("success_rate", req.get("success_rate"));
    out.put("error_rate", req.get("error_rate"));
    out.put("requests_per_second", req.get("per_second"));
    out.put("p95_response_time", req.get("p95_ms"));
    out.put("avg_response_time", req.get("avg_ms"));
    out.put("active_connections", req.get("active"));
    for (String op : List.of("uploads", "downloads", "searches", "deletes")) {
      out.put("total_" + op, ((Map<?, ?>) ops.get(op)).get("total"));
    }
    out.put("replicated_chunks", repl.get("chunks"));
    out.put("replicated_files", repl.get("files"));
    out.put("replication_success_rate", repl.get("success_rate"));
    out.put("active_nodes", cluster.get("nodes_alive"));
    out.put("total_nodes", cluster.get("nodes_total"));
    out.put("leader", cluster.get("leader"));
    out.put("raft_term", cluster.get("term"));
    out.put("under_replicated_chunks", health.get("under_replicated_chunks"));
    out.put("heal_bytes_remaining", health.get("heal_bytes_remaining"));
  }

  private Map<String, Object> requests() {
    double total = t.sum(HTTP);
    double failed = t.sum(s -> s.sum(HTTP, x -> status(x) >= 400));
    double serverErrors = t.sum(s -> s.sum(HTTP, x -> status(x) >= 500));
    Buckets all = t.histogram(s -> s.buckets(HTTP_SECONDS));
    Buckets recent = t.histogramIncrease(s -> s.buckets(HTTP_SECONDS));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", whole(total));
    m.put("succeeded", whole(total - failed));
    m.put("failed", whole(failed));
    m.put("server_errors", whole(serverErrors));
    m.put("success_rate", percent(total - failed, total));
    m.put("error_rate", percent(failed, total));
    m.put("per_second", perSecond(t.increase(HTTP), t.windowSeconds()));
    m.put("errors_per_second", perSecond(t.increase(s -> s.sum(HTTP, x -> status(x) >= 400)),
        t.windowSeconds()));
    m.put("avg_ms", millis(all.mean()));
    m.put("p95_ms", millis(all.quantile(0.95)));
    m.put("recent_avg_ms", recent == null ? null : millis(recent.mean()));
    m.put("recent_p95_ms", recent == null ? null : millis(recent.quantile(0.95)));
    // Each answering node is serving one request of ours while its gauge is read: the /metrics
    // scrape, or (for this node) the /api/system-metrics call itself. Those are not load.
    long ours = now.answered().size();
    m.put("active", Math.max(0, whole(t.sum("cairn_http_active_requests")) - ours));
    return m;
  }

  private Map<String, Object> operations() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uploads", operation("file_uploads_total"));
    m.put("downloads", operation("file_downloads_total"));
    m.put("searches", operation("file_searches_total"));
    m.put("deletes", operation("file_deletes_total"));
    return m;
  }

  private Map<String, Object> operation(String metric) {
    double ok = t.sum(s -> s.sum(metric, "status", "success"));
    double failed = t.sum(s -> s.sum(metric, "status", "failed"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", whole(ok + failed));
    m.put("success", whole(ok));
    m.put("failed", whole(failed));
    m.put("success_rate", percent(ok, ok + failed));
    m.put("per_second", perSecond(t.increase(metric), t.windowSeconds()));
    return m;
  }

  private Map<String, Object> cache() {
    double hits = t.sum("cache_hits_total");
    double misses = t.sum("cache_misses_total");
    double size = t.sum("cache_size");
    double capacity = t.sum("cache_capacity");
    Double recentHits = t.increase("cache_hits_total");
    Double recentMisses = t.increase("cache_misses_total");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hits", whole(hits));
    m.put("misses", whole(misses));
    m.put("hit_rate", percent(hits, hits + misses));
    m.put("recent_hit_rate", recentHits == null ? null
        : percent(recentHits.doubleValue(), recentHits + recentMisses));
    m.put("size_bytes", whole(size));
    m.put("capacity_bytes", whole(capacity));
    m.put("utilization", percent(size, capacity));
    return m;
  }

  private Map<String, Object> replication() {
    String attempts = "replication_attempts_total";
    double ok = t.sum(s -> s.sum(attempts, "status", "success"));
    double failed = t.sum(s -> s.sum(attempts, "status", "failed"));
    Buckets duration = t.histogram(s -> s.buckets("replication_duration_seconds"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chunks", whole(t.sum("replicated_chunks_total")));
    m.put("files", whole(t.sum("replicated_files_total")));
    m.put("attempts", whole(ok + failed));
    m.put("attempts_failed", whole(failed));
    m.put("success_rate", percent(ok, ok + failed));
    m.put("chunks_per_second", perSecond(t.increase("replicated_chunks_total"), t.windowSeconds()));
    m.put("avg_duration_ms", millis(duration.mean()));
    m.put("p95_duration_ms", millis(duration.quantile(0.95)));
    return m;
  }

  private Map<String, Object> health() {
    Double under = leaderOrMax(UNDER_REPLICATED);
    Double remaining = leaderOrMax(HEAL_REMAINING);
    Map<String, Object> m = new LinkedHashMap<>();
    Double lost = leaderOrMax(LOST);
    Double progress = heal.progress(remaining, now.atMillis());
    m.put("under_replicated_chunks", under == null ? null : whole(under));
    m.put("lost_chunks", lost == null ? null : whole(lost));
    m.put("heal_bytes_remaining", remaining == null ? null : whole(remaining));
    m.put("heal_progress", progress);
    // Bytes the healers copied (a counter) give the true rate; the shrinking backlog is the fallback.
    m.put("heal_bytes_per_second", t.exported(HEALED_BYTES)
        ? perSecond(t.increase(HEALED_BYTES), t.windowSeconds()) : heal.bytesPerSecond());
    m.put("healed_chunks", sumIfExported(HEALED_CHUNKS));
    m.put("quarantined_chunks", whole(t.sum("cairn_chunks_quarantined_total")));
    m.put("scrubbed_chunks", sumIfExported("cairn_scrub_chunks_verified_total"));
    m.put("corrupt_replicas_found", sumIfExported("cairn_corrupt_replicas_found_total"));
    m.put("repaired_replicas", sumIfExported("cairn_repaired_replicas_total"));
    m.put("heartbeat_failure_rate", percent(t.sum("heartbeat_failures_total"),
        t.sum("heartbeat_checks_total")));
    return m;
  }

  /** A counter summed over nodes, or null while no node exports it (older nodes). */
  private Long sumIfExported(String metric) {
    return t.exported(metric) ? whole(t.sum(metric)) : null;
  }

  /** The leader's value of a gauge (the healer runs there); else the highest; null if none exports it. */
  private Double leaderOrMax(String metric) {
    Double fromLeader = t.of(now.view().leaderId(), metric);
    if (fromLeader != null) {
      return fromLeader;
    }
    return t.exported(metric) ? t.max(metric) : null;
  }

  private Map<String, Object> scrape() {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (NodeScrape n : now.nodes()) {
      if (!n.answered()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("node_id", n.node().id());
        e.put("error", n.error());
        errors.add(e);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodes_answered", now.answered().size());
    m.put("nodes_total", now.nodes().size());
    m.put("duration_ms", now.durationMillis());
    m.put("errors", errors);
    return m;
  }

  private static int status(Scrape.Sample s) {
    String v = s.label("status");
    try {
      return v == null ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
