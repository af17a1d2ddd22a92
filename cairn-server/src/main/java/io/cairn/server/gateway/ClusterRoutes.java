package io.cairn.server.gateway;

import io.cairn.common.NodeInfo;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import java.util.Map;
import java.util.function.Function;

/** {@code GET /api/v1/cluster}: leader, term and nodes, with optional per-node extras. */
final class ClusterRoutes {
  private final FileService files;
  private volatile Function<NodeInfo, Map<String, Object>> nodeExtras = n -> Map.of();

  ClusterRoutes(FileService files) {
    this.files = files;
  }

  void nodeExtras(Function<NodeInfo, Map<String, Object>> extras) {
    this.nodeExtras = extras;
  }

  void register(Javalin app) {
    app.get("/api/v1/cluster", ctx -> ctx.json(ClusterJson.of(files.cluster(), nodeExtras)));
  }
}
