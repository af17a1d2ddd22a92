package io.cairn.server.web;

import io.cairn.server.files.FileService;
import io.cairn.server.metrics.Metrics;
import io.javalin.Javalin;

/**
 * Cairn's web app on a node's public HTTP port: {@code /} (cluster at a glance and the file manager),
 * {@code /dashboard}, their bundled assets under {@code /assets/}, image thumbnails for the file list,
 * and {@code /api/system-metrics}, the cluster-wide figures behind the dashboard.
 *
 * <p>The pages use the REST API every client uses ({@code /api/v1/...}); their own routes are the
 * thumbnails and the metrics aggregation. The latter needs the node's metrics registry and so is
 * installed by the node rather than the gateway.
 */
public final class WebUi {
  private WebUi() {}

  /** Registers the pages and assets. Fails at start-up if an asset is missing from the jar. */
  public static void install(Javalin app, FileService files) {
    Assets.load().register(app);
    new Pages(files).register(app);
    new Thumbnails(files).register(app);
  }

  /**
   * Registers {@code /api/system-metrics}, computed from every node's {@code /metrics}: this node's
   * from {@code metrics} in process, the others' over HTTP at the addresses in the node registry.
   */
  public static void installSystemMetrics(Javalin app, FileService files, Metrics metrics, int selfNodeId) {
    new SystemMetricsRoute(files::cluster, NodeScraper.of(metrics, selfNodeId), System::currentTimeMillis)
        .register(app);
  }
}
