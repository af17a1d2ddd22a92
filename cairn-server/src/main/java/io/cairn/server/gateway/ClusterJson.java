package io.cairn.server.gateway;

import io.cairn.common.ClusterView;
import io.cairn.common.NodeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@code /api/v1/cluster} body. Nodes are maps rather than records so that facts known
 * elsewhere (used and free bytes, chunk counts) can be merged in through {@code nodeExtras} without
 * changing this class; an extra field never replaces a base field.
 */
public final class ClusterJson {
  private ClusterJson() {}

  /**
   * The cluster as {@code {"leader":id|null,"term":t,"nodes":[{id,state,httpAddress,...}]}}.
   *
   * @param nodeExtras per-node fields to add; may return an empty map, never null
   */
  public static Map<String, Object> of(ClusterView view, Function<NodeInfo, Map<String, Object>> nodeExtras) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("leader", view.leaderId() == 0 ? null : view.leaderId());
    out.put("term", view.term());
    List<Map<String, Object>> nodes = view.nodes().stream().map(n -> node(n, nodeExtras)).toList();
    out.put("nodes", nodes);
    return out;
  }

  private static Map<String, Object> node(NodeInfo n, Function<NodeInfo, Map<String, Object>> nodeExtras) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("state", n.state().name());
    m.put("httpAddress", n.httpAddress());
    m.put("internalAddress", n.internalAddress());
    m.put("raftAddress", n.raftAddress());
    m.put("zone", n.zone());
    m.put("capacityBytes", n.capacityBytes());
    nodeExtras.apply(n).forEach(m::putIfAbsent);
    return m;
  }
}
