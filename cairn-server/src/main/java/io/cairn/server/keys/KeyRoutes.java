package io.cairn.server.keys;

import io.javalin.Javalin;

/**
 * {@code GET /api/v1/keys} (current master key id, ids held, files per key id) and {@code POST
 * /api/v1/keys/rotate} (re-wrap every file key under the current master key). Neither ever shows key
 * material. These are administrator operations: once accounts exist they belong behind the admin role.
 */
public final class KeyRoutes {
  private KeyRoutes() {}

  public static void install(Javalin app, KeyRotation rotation) {
    app.get("/api/v1/keys", ctx -> ctx.json(rotation.status()));
    app.post("/api/v1/keys/rotate", ctx -> ctx.json(rotation.rotate()));
  }
}
