package io.cairn.server.gateway;

import io.cairn.common.ByteSize;
import io.cairn.common.CairnException;
import io.cairn.common.FileSummary;
import io.cairn.common.Names;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /}: the seed app's single page, server-rendered with no external assets: flash message,
 * upload form, and a user's files with download and delete buttons. Placeholder until the web UI.
 */
final class IndexPage {
  private static final int MAX_SHOWN = 1000;
  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
      h1{font-size:1.6rem}form{margin:1rem 0}input,button{font-size:1rem;padding:.3rem .5rem}
      .flash{padding:.6rem 1rem;border-radius:4px;background:#e6f4ea}.flash.error{background:#fce8e6}
      table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid #ddd}
      td.num{text-align:right}""";
  private static final String SCRIPT = """
      async function del(u,f){if(!confirm('Delete '+f+'?'))return;
      const r=await fetch('/delete',{method:'POST',body:new URLSearchParams({username:u,filename:f})});
      const j=await r.json();alert(j.message);location.reload();}""";

  private final FileService files;

  IndexPage(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.get("/", this::render);
  }

  private void render(Context ctx) {
    String user = ctx.queryParam("username");
    if (user == null || user.isBlank()) {
      user = Flash.rememberedUser(ctx);
    }
    StringBuilder html = new StringBuilder(4096);
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cairn</title>")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<style>").append(STYLE).append("</style><script>").append(SCRIPT).append("</script></head><body>")
        .append("<h1>Cairn file store</h1>");
    Flash.Message flash = Flash.take(ctx);
    if (flash != null) {
      html.append("<p class=\"flash").append(flash.error() ? " error" : "").append("\">")
          .append(esc(flash.text())).append("</p>");
    }
    String u = user == null ? "" : esc(user);
    html.append("<h2>Upload</h2><form action=\"/upload\" method=\"post\" enctype=\"multipart/form-data\">")
        .append("<input name=\"username\" placeholder=\"username\" required value=\"").append(u).append("\"> ")
        .append("<input type=\"file\" name=\"file\" required> <button>Upload</button></form>")
        .append("<h2>Files</h2><form action=\"/\" method=\"get\">")
        .append("<input name=\"username\" placeholder=\"username\" value=\"").append(u).append("\"> ")
        .append("<button>Show files</button></form>");
    if (user != null && !user.isBlank()) {
      fileTable(html, user);
    }
    html.append("</body></html>");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private void fileTable(StringBuilder html, String user) {
    List<FileSummary> list;
    try {
      list = BucketScan.scan(files, Names.checkBucket(user), "", MAX_SHOWN);
    } catch (CairnException e) {
      html.append("<p class=\"flash error\">").append(esc(e.getMessage())).append("</p>");
      return;
    }
    if (list.isEmpty()) {
      html.append("<p>No files for ").append(esc(user)).append(".</p>");
      return;
    }
    html.append("<table><tr><th>File</th><th>Size</th><th>Uploaded</th><th></th></tr>");
    for (FileSummary s : list) {
      String href = "/download?username=" + enc(user) + "&filename=" + enc(s.key());
      html.append("<tr><td>").append(esc(s.key())).append("</td><td class=\"num\">")
          .append(esc(ByteSize.human(s.size()))).append("</td><td>").append(Views.iso(s.createdMillis()))
          .append("</td><td><a href=\"").append(esc(href)).append("\">Download</a> ")
          .append("<button data-u=\"").append(esc(user)).append("\" data-f=\"").append(esc(s.key()))
          .append("\" onclick=\"del(this.dataset.u,this.dataset.f)\">Delete</button></td></tr>");
    }
    html.append("</table>");
    if (list.size() == MAX_SHOWN) {
      html.append("<p>Showing the first ").append(MAX_SHOWN).append(" files.</p>");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
