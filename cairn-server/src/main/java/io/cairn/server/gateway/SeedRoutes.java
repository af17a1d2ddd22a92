package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.FileSummary;
import io.cairn.common.Names;
import io.cairn.common.NodeState;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of the seed Flask app, kept byte-compatible so its clients (scripts, Locust files) work
 * unchanged. A seed "username" is a bucket and a "filename" is a key. Upload lives in
 * {@link SeedUpload}; this class holds the JSON routes.
 */
final class SeedRoutes {
  /** The seed app returned whole lists; this bounds the answer for a pathological bucket. */
  static final int MAX_LISTED = 100_000;

  private final FileService files;
  private final Downloads downloads;
  private final Readiness readiness;

  SeedRoutes(FileService files, Downloads downloads, Readiness readiness) {
    this.files = files;
    this.downloads = downloads;
    this.readiness = readiness;
  }

  void register(Javalin app) {
    app.get("/files", ctx -> ctx.json(Map.of("files", names(ctx, ""))));
    app.post("/search", ctx -> ctx.json(Map.of("files", names(ctx, optional(ctx, "filename")))));
    app.get("/download", ctx -> downloads.send(ctx, username(ctx), filename(ctx), true));
    app.post("/delete", this::delete);
    app.get("/status", this::status);
    app.get("/api/files/{username}", this::details);
  }

  private List<String> names(Context ctx, String contains) {
    return BucketScan.scan(files, username(ctx), contains, MAX_LISTED).stream().map(FileSummary::key).toList();
  }

  private void delete(Context ctx) {
    String bucket = username(ctx);
    String key = filename(ctx);
    boolean deleted = files.delete(bucket, key);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", deleted);
    body.put("message", deleted ? "File '" + key + "' deleted successfully" : "File '" + key + "' not found");
    ctx.status(deleted ? 200 : 404).json(body);
  }

  private void status(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean online = readiness.ready();
    try {
      ClusterView view = files.cluster();
      body.put("leader", view.leaderId() == 0 ? null : view.leaderId());
      body.put("nodes_alive", view.nodes().stream().filter(n -> n.state() == NodeState.ALIVE).count());
      body.put("nodes_total", view.nodes().size());
    } catch (CairnException e) {
      online = false;
      body.put("leader", null);
      body.put("nodes_alive", 0);
      body.put("nodes_total", 0);
    }
    body.put("detail", readiness.detail());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", online ? "online" : "offline");
    out.putAll(body);
    ctx.status(online ? 200 : 503).json(out);
  }

  private void details(Context ctx) {
    String bucket = SeedUser.check(Names.checkBucket(ctx.pathParam("username")));
    List<Map<String, Object>> list = BucketScan.scan(files, bucket, "", MAX_LISTED).stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("filename", s.key());
      m.put("size", s.size());
      m.put("upload_time", Views.iso(s.createdMillis()));
      m.put("content_type", s.contentType());
      return m;
    }).toList();
    ctx.json(Map.of("files", list));
  }

  private static String username(Context ctx) {
    return SeedUser.check(Names.checkBucket(Requests.field(ctx, "username")));
  }

  private static String filename(Context ctx) {
    return Names.checkKey(Requests.field(ctx, "filename"));
  }

  private static String optional(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v;
  }
}
