package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.files.InMemoryFileService;
import io.cairn.server.gateway.GatewayConfig;
import io.cairn.server.gateway.HttpGateway;
import io.cairn.server.gateway.Readiness;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages, assets and thumbnails over a gateway on an in-memory file service. */
class WebPagesTest {
  @TempDir
  Path tmp;
  InMemoryFileService files;
  HttpGateway gateway;
  HttpClient http;

  @BeforeEach
  void start() {
    files = new InMemoryFileService(1 << 16);
    Readiness ready = new Readiness() {
      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public String detail() {
        return "ok";
      }
    };
    gateway = HttpGateway.start(GatewayConfig.loopback(tmp.resolve("gw")), files, ready);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    gateway.stop();
    http.close();
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> put(String path, byte[] body, String type) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void indexShowsTheFlashOnceAndTheRememberedBucket() throws Exception {
    String flash = "cairn_flash=" + java.net.URLEncoder.encode("i:File 'a<b>.txt' uploaded successfully",
        StandardCharsets.UTF_8);
    HttpResponse<byte[]> page = get("/", "Cookie", flash + "; cairn_user=alice");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    String html = text(page);
    assertThat(html).contains("role=\"status\" id=\"flash\">File &#39;a&lt;b&gt;.txt&#39; uploaded successfully</p>")
        .contains("id=\"bucket\" name=\"bucket\" list=\"bucket-list\" value=\"alice\"")
        .doesNotContain("{{");
    assertThat(page.headers().allValues("Set-Cookie"))
        .anyMatch(c -> c.startsWith("cairn_flash=;") && c.contains("Max-Age=0"));

    String error = text(get("/", "Cookie", "cairn_flash=" + java.net.URLEncoder.encode("e:File already exists",
        StandardCharsets.UTF_8)));
    assertThat(error).contains("class=\"flash error\" role=\"alert\" id=\"flash\">File already exists");
    assertThat(text(get("/"))).doesNotContain("id=\"flash\"");
  }

  @Test
  void dashboardAndEveryAssetAreServedFromTheJar() throws Exception {
    assertThat(text(get("/dashboard"))).contains("<title>Cairn · dashboard</title>")
        .contains("/assets/vendor/chart.umd.min.js");
    for (String name : List.of("app.css", "common.js", "files.js", "cluster.js", "dashboard.js", "favicon.svg",
        Assets.CHART_JS)) {
      HttpResponse<byte[]> r = get("/assets/" + name);
      assertThat(r.statusCode()).as(name).isEqualTo(200);
      assertThat(r.body().length).as(name).isGreaterThan(100);
      String etag = r.headers().firstValue("ETag").orElseThrow();
      assertThat(get("/assets/" + name, "If-None-Match", etag).statusCode()).as(name).isEqualTo(304);
    }
    assertThat(text(get("/assets/" + Assets.CHART_JS))).contains("Chart.js v4");
    assertThat(get("/assets/chart.js").statusCode()).isEqualTo(404);
    assertThat(get("/assets/../web/index.html").statusCode()).isIn(400, 404);
    assertThat(get("/assets/app.css").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
  }

  @Test
  void noPageOrScriptNamesAnotherHost() throws Exception {
    for (String path : List.of("/", "/dashboard", "/assets/app.css", "/assets/common.js", "/assets/files.js",
        "/assets/cluster.js", "/assets/dashboard.js")) {
      assertThat(text(get(path))).as(path).doesNotContainPattern("(src|href)=\"(https?:)?//");
    }
  }

  @Test
  void thumbnailsAreSmallSquarePngsOfImagesOnly() throws Exception {
    BufferedImage img = new BufferedImage(640, 320, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 640, 320);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    assertThat(put("/api/v1/files/pics/red%20wide.png", png.toByteArray(), "image/png").statusCode()).isEqualTo(201);
    assertThat(put("/api/v1/files/pics/notes.txt", "hello".getBytes(), "text/plain").statusCode()).isEqualTo(201);
    assertThat(put("/api/v1/files/pics/fake.png", "not a png".getBytes(), "image/png").statusCode()).isEqualTo(201);

    HttpResponse<byte[]> t = get("/api/web/thumbnail/pics/red%20wide.png");
    assertThat(t.statusCode()).isEqualTo(200);
    assertThat(t.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(t.body()));
    assertThat(thumb.getWidth()).isEqualTo(Thumbnails.SIZE);
    assertThat(thumb.getHeight()).isEqualTo(Thumbnails.SIZE);
    assertThat(new Color(thumb.getRGB(48, 48))).isEqualTo(Color.RED);

    assertThat(get("/api/web/thumbnail/pics/notes.txt").statusCode()).isEqualTo(404);
    assertThat(get("/api/web/thumbnail/pics/fake.png").statusCode()).isEqualTo(404);
    assertThat(get("/api/web/thumbnail/pics/missing.png").statusCode()).isEqualTo(404);
  }

  static byte[] bytes(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
