package io.cairn.server.gateway;

import io.cairn.server.files.FileService;
import io.javalin.Javalin;

/** {@code GET /api/v1/meta/{bucket}/<key>}: where a file's chunks live, for operators and the CLI. */
final class MetaRoutes {
  private final FileService files;

  MetaRoutes(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.get("/api/v1/meta/{bucket}/<key>",
        ctx -> ctx.json(Views.Meta.of(files.stat(Requests.bucket(ctx), Requests.key(ctx)))));
  }
}
