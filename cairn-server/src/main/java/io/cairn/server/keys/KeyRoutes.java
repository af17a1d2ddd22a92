package io.cairn.server.keys;

import io.cairn.server.auth.AuthSettings;
import io.javalin.Javalin;

/**
 * {@code GET /api/v1/keys} (current master key id, ids held, files per key id) and {@code POST
 * /api/v1/keys/rotate} (re-wrap every file key under the current master key). Neither ever shows key
 * material. Both are administrator operations (an anonymous caller passes only on a loopback dev cluster).
 */
public final class KeyRoutes {
  private KeyRoutes() {}

  public static void install(Javalin app, KeyRotation rotation) {
    app.get("/api/v1/keys", ctx -> {
      AuthSettings.requireAdmin();
      ctx.json(rotation.status());
    });
    app.post("/api/v1/keys/rotate", ctx -> {
      AuthSettings.requireAdmin();
      ctx.json(rotation.rotate());
    });
  }
}
