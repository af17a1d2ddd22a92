package io.cairn.server.gateway;

import io.javalin.Javalin;
import java.util.Map;

/**
 * {@code /healthz} says the process serves HTTP (restart it if not); {@code /readyz} says it should get
 * traffic (take it out of the load balancer if not). They never touch the cluster, so they stay fast.
 */
final class HealthRoutes {
  private final Readiness readiness;

  HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  void register(Javalin app) {
    app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    app.get("/readyz", ctx -> {
      boolean ready = readiness.ready();
      String detail = String.valueOf(readiness.detail());
      ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "unavailable", "detail", detail));
    });
  }
}
