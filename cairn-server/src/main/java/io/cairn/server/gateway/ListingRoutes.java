package io.cairn.server.gateway;

import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code GET /api/v1/files/{bucket}} (list and search one bucket) and {@code GET /api/v1/buckets}. */
final class ListingRoutes {
  private final FileService files;

  ListingRoutes(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.get("/api/v1/files/{bucket}", this::list);
    app.get("/api/v1/buckets", ctx -> ctx.json(new Views.Buckets(files.buckets())));
  }

  private void list(Context ctx) {
    String bucket = Requests.bucket(ctx);
    int limit = Requests.limit(ctx);
    String cursor = ctx.queryParam("cursor");
    ListQuery q = new ListQuery(bucket, ctx.queryParam("prefix"), ctx.queryParam("q"), limit,
        cursor == null || cursor.isEmpty() ? null : cursor);
    ListPage page = files.list(q);
    ctx.json(new Views.Listing(bucket, page.files().stream().map(Views.Entry::of).toList(), page.nextCursor()));
  }
}
