package io.cairn.server.web;

import static io.cairn.server.web.Figures.millis;
import static io.cairn.server.web.Figures.percent;
import static io.cairn.server.web.Figures.round;
import static io.cairn.server.web.Figures.whole;

import io.cairn.common.ClusterView;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.web.NodeScraper.NodeScrape;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report groups about nodes: Raft and membership, load balancing, sharding, per-node rows. */
final class ClusterSection {
  private ClusterSection() {}

  static Map<String, Object> cluster(ClusterScrape now, Totals t) {
    ClusterView v = now.view();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodes_alive", v.nodes().stream().filter(n -> n.state() == NodeState.ALIVE).count());
    m.put("nodes_total", v.nodes().stream().filter(n -> n.state() != NodeState.DECOMMISSIONED).count());
    m.put("leader", v.leaderId() == 0 ? null : v.leaderId());
    m.put("term", v.term());
    m.put("elections", whole(t.sum("raft_elections_total")));
    // Every node counts the same leader change and the same node failure: the most any node has
    // seen is the cluster's count (a restarted node starts again from zero, so not the minimum).
    m.put("leader_changes", whole(t.max("raft_leader_changes_total")));
    m.put("node_failures", whole(t.max("node_failures_total")));
    m.put("node_recoveries", whole(t.max("node_recoveries_total")));
    m.put("heartbeat_checks", whole(t.sum("heartbeat_checks_total")));
    m.put("heartbeat_failures", whole(t.sum("heartbeat_failures_total")));
    m.put("metadata_commits", whole(t.sum(s -> s.sum("metadata_replications_total", "status", "success"))));
    m.put("metadata_failures", whole(t.sum(s -> s.sum("metadata_replications_total", "status", "failed"))));
    m.put("raft_commit_p95_ms", millis(t.histogram(s -> s.buckets("cairn_raft_commit_duration_seconds"))
        .quantile(0.95)));
    return m;
  }

  /** Decisions, and how often each node was chosen (node_selection_count summed over deciding nodes). */
  static Map<String, Object> loadBalancing(ClusterScrape now, Totals t) {
    Map<String, Double> byAddress = new LinkedHashMap<>();
    for (Scrape s : now.answered().values()) {
      s.sumBy("node_selection_count", "node_ip").forEach((k, v) -> byAddress.merge(k, v, Double::sum));
    }
    List<Map<String, Object>> selections = new ArrayList<>();
    for (NodeInfo n : now.view().nodes()) {
      Double count = byAddress.remove(authority(n));
      selections.add(selection(n.id(), authority(n), count == null ? 0 : count));
    }
    byAddress.forEach((addr, count) -> selections.add(selection(null, addr, count))); // left the registry
    Buckets d = t.histogram(s -> s.buckets("load_balancing_duration_seconds"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decisions", whole(t.sum("load_balancing_decisions_total")));
    m.put("decisions_per_second", Figures.perSecond(t.increase("load_balancing_decisions_total"),
        t.windowSeconds()));
    m.put("avg_decision_us", d.mean() == null ? null : round(d.mean() * 1e6));
    m.put("selections", selections);
    return m;
  }

  private static Map<String, Object> selection(Integer nodeId, String address, double count) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    m.put("address", address);
    m.put("count", whole(count));
    return m;
  }

  /** Chunks cut from uploads and their plaintext sizes as a per-bucket histogram. */
  static Map<String, Object> sharding(Totals t) {
    Buckets sizes = t.histogram(s -> s.buckets("shard_size_bytes"));
    List<Map<String, Object>> histogram = new ArrayList<>();
    sizes.perBucket().forEach((le, count) -> {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("le_bytes", Double.isInfinite(le) ? null : whole(le)); // null: the open +Inf bucket
      b.put("count", whole(count));
      histogram.add(b);
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shards_created", whole(t.sum("shards_created_total")));
    m.put("bytes_total", whole(sizes.sum()));
    m.put("avg_size_bytes", sizes.mean() == null ? null : whole(sizes.mean()));
    m.put("histogram", histogram);
    return m;
  }

  /** One row per registered node: its state from the registry and its own figures if it answered. */
  static List<Map<String, Object>> nodes(ClusterScrape now, Totals t) {
    List<Map<String, Object>> rows = new ArrayList<>();
    double nowSecs = now.atMillis() / 1000.0;
    for (NodeScrape ns : now.nodes()) {
      NodeInfo n = ns.node();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", n.id());
      m.put("address", n.httpAddress());
      m.put("state", n.state().name());
      m.put("leader", n.id() == now.view().leaderId());
      m.put("reachable", ns.answered());
      m.put("error", ns.error());
      Scrape s = ns.answered() ? ns.scrape() : Scrape.EMPTY;
      double hits = s.sum("cache_hits_total");
      double lookups = hits + s.sum("cache_misses_total");
      m.put("requests", ns.answered() ? whole(s.sum("http_requests_total")) : null);
      m.put("cache_hit_rate", ns.answered() ? percent(hits, lookups) : null);
      m.put("disk_used_bytes", gauge(s, "cairn_disk_used_bytes"));
      m.put("disk_free_bytes", gauge(s, "cairn_disk_free_bytes"));
      m.put("heap_used_bytes", s.has("jvm_memory_used_bytes")
          ? whole(s.sum("jvm_memory_used_bytes", "area", "heap")) : null);
      m.put("uptime_seconds", s.has(Totals.START_TIME)
          ? whole(Math.max(0, nowSecs - s.sum(Totals.START_TIME))) : null);
      rows.add(m);
    }
    return rows;
  }

  private static Long gauge(Scrape s, String metric) {
    return s.has(metric) ? whole(s.sum(metric)) : null;
  }

  /** node_selection_count labels nodes by the host:port of their public address. */
  static String authority(NodeInfo n) {
    try {
      String a = URI.create(n.httpAddress()).getAuthority();
      return a == null ? "node-" + n.id() : a;
    } catch (IllegalArgumentException e) {
      return "node-" + n.id();
    }
  }
}
