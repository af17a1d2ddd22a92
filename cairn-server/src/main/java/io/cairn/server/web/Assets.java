package io.cairn.server.web;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /assets/<name>}: the page's CSS, scripts and images, and Chart.js from its webjar, all
 * from the jar so the pages work with no network beyond the node.
 *
 * <p>Every asset is read once at start-up into memory (a few hundred KiB) and served from an explicit
 * table, so no request path ever reaches the class loader or the file system. Responses carry a
 * content-hash ETag and {@code Cache-Control: no-cache}: browsers keep a copy and revalidate with a
 * cheap 304, and a new jar is picked up at the next load.
 */
final class Assets {
  static final String PREFIX = "/assets/";
  static final String CHART_JS = "vendor/chart.umd.min.js";
  /** Files under {@code src/main/resources/web/} served as they are. */
  static final List<String> BUNDLED = List.of("app.css", "common.js", "files.js", "cluster.js",
      "dashboard.js", "favicon.svg");
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  record Asset(byte[] body, String contentType, String etag) {}

  private final Map<String, Asset> assets;

  private Assets(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /** Loads every asset; a missing one is a packaging bug and fails the node's start. */
  static Assets load() {
    Map<String, Asset> m = new LinkedHashMap<>();
    for (String name : BUNDLED) {
      m.put(name, asset(read("web/" + name), name));
    }
    m.put(CHART_JS, asset(read(chartJsResource()), CHART_JS));
    return new Assets(m);
  }

  void register(Javalin app) {
    app.get(PREFIX + "<name>", this::serve);
    app.get("/favicon.ico", ctx -> ctx.redirect(PREFIX + "favicon.svg", HttpStatus.MOVED_PERMANENTLY));
  }

  Asset get(String name) {
    return assets.get(name);
  }

  private void serve(Context ctx) {
    Asset a = assets.get(ctx.pathParam("name"));
    if (a == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no asset " + ctx.path());
    }
    ctx.header("ETag", a.etag());
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    String inm = ctx.header("If-None-Match");
    if (inm != null && inm.contains(a.etag())) {
      ctx.status(HttpStatus.NOT_MODIFIED);
      return;
    }
    ctx.contentType(a.contentType()).result(a.body());
  }

  /** The webjar's own version file names the directory, so upgrading is a pom change only. */
  private static String chartJsResource() {
    Properties p = new Properties();
    try (InputStream in = open(WEBJAR_POM)) {
      p.load(in);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot read " + WEBJAR_POM, e);
    }
    return "META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/dist/chart.umd.min.js";
  }

  static byte[] read(String resource) {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot read bundled resource " + resource, e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new CairnException(ErrorCode.INTERNAL, "bundled resource missing from the jar: " + resource);
    }
    return in;
  }

  private static Asset asset(byte[] body, String name) {
    return new Asset(body, contentType(name), "\"" + sha256(body).substring(0, 32) + "\"");
  }

  static String contentType(String name) {
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (name.endsWith(".svg")) {
      return "image/svg+xml";
    } else if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    return "application/octet-stream";
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new CairnException(ErrorCode.INTERNAL, "SHA-256 unavailable", e);
    }
  }
}
