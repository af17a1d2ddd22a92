package io.cairn.server.web;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.Names;
import io.cairn.server.auth.Authenticator;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /} (cluster and file manager) and {@code GET /dashboard}, rendered from the templates in
 * {@code web/}. The scripts do the rest through the REST API.
 *
 * <p>The server fills in what only it can know: the seed routes' flash message (an HttpOnly cookie) and
 * the remembered bucket. It also renders the bucket's first files inside {@code <noscript>}, so the seed
 * app's flow (form upload, list, download) still works with scripts off.
 */
final class Pages {
  static final int NOSCRIPT_FILES = 100;

  private final FileService files;
  private final String index = new String(Assets.read("web/index.html"), StandardCharsets.UTF_8);
  private final String dashboard = new String(Assets.read("web/dashboard.html"), StandardCharsets.UTF_8);

  Pages(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.get("/", this::index);
    app.get("/dashboard", ctx -> html(ctx, dashboard));
  }

  private void index(Context ctx) {
    String bucket = ctx.queryParam("username");
    if (bucket == null || bucket.isBlank()) {
      bucket = ctx.queryParam("bucket");
    }
    if (bucket == null || bucket.isBlank()) {
      bucket = FlashCookie.rememberedUser(ctx);
    }
    bucket = bucket == null ? "" : bucket.strip();
    FlashCookie.Message flash = FlashCookie.take(ctx);
    String flashHtml = flash == null ? "" : "<p class=\"flash " + (flash.error() ? "error" : "info")
        + "\" role=\"" + (flash.error() ? "alert" : "status") + "\" id=\"flash\">" + Html.esc(flash.text())
        + "</p>";
    // The session's CSRF token rides in the script-free upload form; "" in dev mode and for API clients.
    html(ctx, Html.fill(index, Map.of("flash", flashHtml, "bucket", Html.esc(bucket),
        "noscriptFiles", bucket.isEmpty() ? "" : noscriptFiles(bucket),
        "csrf", Html.esc(Authenticator.csrfToken(ctx)))));
  }

  private static void html(Context ctx, String body) {
    // Pages carry a one-shot flash: never serve one from a cache.
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8").result(body);
  }

  /** The first files of a bucket as a plain table with seed-route download links. */
  private String noscriptFiles(String bucket) {
    ListPage page;
    try {
      page = files.list(new ListQuery(Names.checkBucket(bucket), "", "", NOSCRIPT_FILES, null));
    } catch (CairnException e) {
      if (e.code() != ErrorCode.NO_SUCH_BUCKET) {
        return "<p>" + Html.esc(e.getMessage()) + "</p>";
      }
      page = new ListPage(List.of(), null);
    }
    if (page.files().isEmpty()) {
      return "<p>No files for " + Html.esc(bucket) + ".</p>";
    }
    StringBuilder t = new StringBuilder("<table><tr><th>File</th><th>Size</th><th>Uploaded</th></tr>");
    for (FileSummary s : page.files()) {
      String href = "/download?username=" + Html.query(bucket) + "&filename=" + Html.query(s.key());
      t.append("<tr><td><a href=\"").append(Html.esc(href)).append("\">").append(Html.esc(s.key()))
          .append("</a></td><td>").append(Html.esc(ByteSize.human(s.size()))).append("</td><td>")
          .append(Instant.ofEpochMilli(s.createdMillis())).append("</td></tr>");
    }
    t.append("</table>");
    if (page.nextCursor() != null) {
      t.append("<p>Showing the first ").append(NOSCRIPT_FILES).append(" files.</p>");
    }
    return t.toString();
  }
}
