package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web app in a real browser (Debian's chromium) against three real node processes: upload through
 * the page, list, search, preview, details, download, delete, the seed form's flash, the dashboard's
 * figures against the nodes' own /metrics, phone width, keyboard, and a node killed mid-session.
 * Screenshots land in {@code target/webui-*.png}. Steps run in order and share the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
  static final String BUCKET = "webit";
  static final String IMAGE_KEY = "trip/sunset.png";
  static final String TEXT_KEY = "trip/notes.txt";
  static final String TEXT = "hello from Cairn — ünïcode ✓\nsecond line\n";
  static final String OVERFLOW_X = "return document.documentElement.scrollWidth - document.documentElement.clientWidth";

  WebTestCluster cluster;
  Browser b;
  HttpClient http;
  Path work;
  Path image;
  Path text;
  Map<String, Double> before;

  @BeforeAll
  void up() throws IOException {
    Browser.requireBinaries();
    work = Files.createTempDirectory("cairn-web-it-files-");
    image = work.resolve("sunset.png");
    text = work.resolve("notes.txt");
    writeImage(image, 800, 600);
    Files.writeString(text, TEXT, StandardCharsets.UTF_8);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    cluster = WebTestCluster.start(3, "384m");
    b = Browser.start(1280, 1000);
  }

  @AfterAll
  void down() {
    if (b != null) {
      b.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (http != null) {
      http.close();
    }
  }

  // ---- steps --------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void dashboardShowsFiguresBeforeAnyActivity() {
    openDashboard(1);
    printTiming("/dashboard");
    before = figures();
    assertThat(text("[data-key='active_nodes']")).isEqualTo("3");
    assertThat(text("[data-key='leader']")).matches("[123]");
    assertThat(text("[data-key='under_replicated_chunks']")).isEqualTo("0");
  }

  @Test
  @Order(2)
  void uploadsTwoFilesFromThePageWithProgress() throws Exception {
    b.driver.get(url(1, "/?bucket=" + BUCKET));
    b.waitUpTo(30).until(d -> text("#list-status").contains(BUCKET));
    printTiming("/");
    b.driver.findElement(By.id("upload-prefix")).sendKeys("trip");
    b.driver.findElement(By.id("file-input")).sendKeys(image + "\n" + text);
    b.waitUpTo(60).until(d -> d.findElements(By.cssSelector("li.upload[data-state]")).size() == 2);
    for (WebElement li : b.driver.findElements(By.cssSelector("li.upload"))) {
      assertThat(li.getAttribute("data-state")).as(li.getText()).isEqualTo("done");
      assertThat(li.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("100");
    }
    assertThat(rest(1, IMAGE_KEY).body()).isEqualTo(Files.readAllBytes(image));
    assertThat(new String(rest(3, TEXT_KEY).body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
  }

  @Test
  @Order(3)
  void listsSearchesFiltersAndShowsThumbnails() {
    b.waitUpTo(30).until(d -> rows().equals(List.of(TEXT_KEY, IMAGE_KEY)));
    WebElement thumb = b.driver.findElement(By.cssSelector("tr[data-key='" + IMAGE_KEY + "'] img.thumb"));
    b.waitUpTo(30).until(d -> ((Number) b.js("return arguments[0].naturalWidth", thumb)).intValue() == 96);

    type("q", "sunset");
    b.waitUpTo(30).until(d -> rows().equals(List.of(IMAGE_KEY)));
    type("q", "");
    type("prefix", "nope/");
    b.waitUpTo(30).until(d -> text("#file-rows").contains("No files match"));
    type("prefix", "trip/");
    b.waitUpTo(30).until(d -> rows().size() == 2);
    new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("sort"))).selectByValue("size:desc");
    assertThat(rows()).containsExactly(IMAGE_KEY, TEXT_KEY);
    type("prefix", "");
  }

  @Test
  @Order(4)
  void previewsTheImageAndTheText() {
    click("tr[data-key='" + IMAGE_KEY + "'] .preview-btn");
    b.waitUpTo(30).until(ExpectedConditions.attributeToBeNotEmpty(b.driver.findElement(By.id("preview")), "open"));
    WebElement img = b.driver.findElement(By.id("preview-image"));
    b.waitUpTo(30).until(d -> ((Number) b.js("return arguments[0].naturalWidth", img)).intValue() == 800);
    b.screenshot("webui-preview.png");
    b.driver.findElement(By.id("preview")).sendKeys(Keys.ESCAPE);
    b.waitUpTo(10).until(d -> !isOpen("preview"));

    click("tr[data-key='" + TEXT_KEY + "'] .preview-btn");
    b.waitUpTo(30).until(d -> !d.findElements(By.id("preview-text")).isEmpty());
    assertThat(b.js("return document.getElementById('preview-text').textContent")).isEqualTo(TEXT);
    click("#preview [data-close]");
    b.waitUpTo(10).until(d -> !isOpen("preview"));
  }

  @Test
  @Order(5)
  void detailsShowChecksumAndThreeReplicasPerChunk() throws Exception {
    click("tr[data-key='" + IMAGE_KEY + "'] .fname");
    b.waitUpTo(30).until(d -> !d.findElements(By.cssSelector("#chunk-table tbody tr")).isEmpty());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image)));
    assertThat(text("#details-body")).contains(sha).contains("image/png");
    for (WebElement row : b.driver.findElements(By.cssSelector("#chunk-table tbody tr"))) {
      List<String> nodes = row.findElements(By.cssSelector("[data-replica]")).stream()
          .map(e -> e.getAttribute("data-replica")).toList();
      assertThat(nodes).hasSize(3).doesNotHaveDuplicates();
      assertThat(row.getText()).contains("ALIVE");
    }
    b.screenshot("webui-details.png");
    click("#details [data-close]");
  }

  @Test
  @Order(6)
  void downloadsTheSameBytes() throws Exception {
    click("tr[data-key='" + IMAGE_KEY + "'] a.download-link");
    Path got = b.downloads.resolve("sunset.png");
    b.waitUpTo(60).until(d -> Files.exists(got) && !Files.exists(b.downloads.resolve("sunset.png.crdownload")));
    assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(image));
  }

  @Test
  @Order(7)
  void theSeedFormShowsItsFlashAfterTheRedirect() throws IOException {
    Path seed = work.resolve("seed.txt");
    Files.writeString(seed, "posted through the classic form");
    for (String expected : List.of("File 'seed.txt' uploaded successfully", "File already exists")) {
      b.js("""
          const f = document.createElement('form');
          f.method = 'post'; f.action = '/upload'; f.enctype = 'multipart/form-data'; f.id = 'seed-form';
          const u = document.createElement('input'); u.name = 'username'; u.value = arguments[0];
          const i = document.createElement('input'); i.type = 'file'; i.name = 'file'; i.id = 'seed-file';
          f.append(u, i); document.body.append(f);""", BUCKET);
      b.driver.findElement(By.id("seed-file")).sendKeys(seed.toString());
      b.js("document.getElementById('seed-form').submit()");
      b.waitUpTo(30).until(d -> !d.findElements(By.id("flash")).isEmpty());
      assertThat(text("#flash")).isEqualTo(expected);
      assertThat(URI.create(b.driver.getCurrentUrl()).getPath()).isEqualTo("/");
    }
    assertThat(b.driver.findElement(By.id("flash")).getAttribute("class")).contains("error");
    b.driver.navigate().refresh();
    b.waitUpTo(30).until(d -> text("#list-status").contains(BUCKET));
    assertThat(b.driver.findElements(By.id("flash"))).as("a flash shows once").isEmpty();
  }

  @Test
  @Order(8)
  void deletesAfterConfirmationOnly() throws Exception {
    b.waitUpTo(30).until(d -> rows().contains(TEXT_KEY));
    click("tr[data-key='" + TEXT_KEY + "'] .delete-btn");
    b.waitUpTo(10).until(d -> isOpen("confirm"));
    b.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE); // Escape cancels
    b.waitUpTo(10).until(d -> !isOpen("confirm"));
    assertThat(rest(1, TEXT_KEY).statusCode()).isEqualTo(200);

    click("tr[data-key='" + TEXT_KEY + "'] .delete-btn");
    b.waitUpTo(10).until(d -> isOpen("confirm"));
    assertThat(text("#confirm-text")).contains(TEXT_KEY);
    click("#confirm-delete");
    b.waitUpTo(30).until(d -> !rows().contains(TEXT_KEY));
    assertThat(rest(2, TEXT_KEY).statusCode()).isEqualTo(404);
    b.fullPageScreenshot("webui-index.png");
  }

  @Test
  @Order(9)
  void dashboardFiguresMovedAndAgreeWithTheNodesMetrics() throws Exception {
    openDashboard(1);
    b.waitUpTo(30).until(d -> Integer.parseInt(d.findElement(By.tagName("body")).getAttribute("data-updates")) >= 2);
    click("#pause");
    Map<String, Double> after = figures();
    assertThat(after.get("operations.uploads.total"))
        .isGreaterThanOrEqualTo(before.get("operations.uploads.total") + 3);
    assertThat(after.get("operations.downloads.total"))
        .isGreaterThanOrEqualTo(before.get("operations.downloads.total") + 3);
    assertThat(after.get("operations.searches.total")).isGreaterThan(before.get("operations.searches.total"));
    assertThat(after.get("operations.deletes.total")).isEqualTo(before.get("operations.deletes.total") + 1);
    // Small files live inline in the metadata; the image at least was cut into a replicated chunk.
    assertThat(after.get("replicated_chunks")).isGreaterThan(before.get("replicated_chunks"));
    assertThat(after.get("total_requests")).isGreaterThan(before.get("total_requests"));
    assertThat(text("[data-key='p95_response_time']")).endsWith("ms");

    // Counters nothing touches now must equal the sum of the three nodes' own /metrics.
    List<Scrape> scrapes = List.of(scrape(1), scrape(2), scrape(3));
    assertThat(after.get("operations.uploads.total")).isEqualTo(sum(scrapes, "file_uploads_total"));
    assertThat(after.get("operations.deletes.total")).isEqualTo(sum(scrapes, "file_deletes_total"));
    assertThat(after.get("replicated_chunks")).isEqualTo(sum(scrapes, "replicated_chunks_total"));
    assertThat(after.get("replicated_files")).isEqualTo(sum(scrapes, "replicated_files_total"));
    assertThat(after.get("sharding.shards_created")).isEqualTo(sum(scrapes, "shards_created_total"));
    assertThat(after.get("total_requests")).isLessThanOrEqualTo(sum(scrapes, "http_requests_total"));
    b.fullPageScreenshot("webui-dashboard.png");
  }

  @Test
  @Order(10)
  void worksAtPhoneWidthAndByKeyboard() {
    Dimension desk = b.driver.manage().window().getSize();
    b.driver.manage().window().setSize(new Dimension(390, 844));
    try {
      b.driver.get(url(1, "/?bucket=" + BUCKET));
      b.waitUpTo(30).until(d -> rows().contains(IMAGE_KEY));
      assertThat(((Number) b.js(OVERFLOW_X)).intValue())
          .as("no sideways scrolling at phone width").isLessThanOrEqualTo(0);
      b.fullPageScreenshot("webui-index-phone.png");
      openDashboard(1);
      assertThat(((Number) b.js(OVERFLOW_X)).intValue())
          .isLessThanOrEqualTo(0);
      b.fullPageScreenshot("webui-dashboard-phone.png");
    } finally {
      b.driver.manage().window().setSize(desk);
    }
    b.driver.get(url(1, "/?bucket=" + BUCKET));
    b.waitUpTo(30).until(d -> rows().contains(IMAGE_KEY));
    Object unlabeled = b.js("""
        return [...document.querySelectorAll('input:not([type=hidden]):not([aria-hidden=true]), select, button')]
          .filter(e => e.offsetParent !== null)
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
          .map(e => e.outerHTML);""");
    assertThat((List<?>) unlabeled).as("controls without a label").isEmpty();
    // Tab from the top reaches the skip link first, then the main navigation.
    b.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    assertThat(b.driver.switchTo().activeElement().getAttribute("class")).isEqualTo("skip");
    // The details dialog opens from the keyboard (Enter on the file name) and closes with Escape.
    WebElement name = b.driver.findElement(By.cssSelector("tr[data-key='" + IMAGE_KEY + "'] .fname"));
    b.js("arguments[0].focus()", name);
    b.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    b.waitUpTo(10).until(d -> isOpen("details"));
    b.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    b.waitUpTo(10).until(d -> !isOpen("details"));
  }

  @Test
  @Order(12)
  void aUserLogsInThroughThePageAndSeesOnlyTheirBuckets() throws Exception {
    // Dev mode (anonymous allowed on loopback) still offers login; once logged in, the page acts as
    // that user: uploads carry the CSRF token and buckets of others stay out of reach.
    b.driver.get(url(1, "/"));
    b.waitUpTo(30).until(d -> !text("#dev-mode").isEmpty());
    assertThat(text("#dev-mode")).isEqualTo("anonymous dev mode");
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url(1, "/api/v1/users")))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
            ("admin:" + adminPassword()).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"carol\",\"password\":\"carol-secret-1\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    click("#login-link");
    b.waitUpTo(30).until(d -> d.getCurrentUrl().endsWith("/login"));
    b.driver.findElement(By.name("username")).sendKeys("carol");
    b.driver.findElement(By.name("password")).sendKeys("carol-secret-1", Keys.ENTER);
    b.waitUpTo(30).until(d -> "carol".equals(text("#account-user")));
    assertThat(b.driver.findElements(By.id("dev-mode"))).isEmpty();

    type("bucket", "carol-files");
    click("#bucket-form button[type='submit']");
    b.driver.findElement(By.id("file-input")).sendKeys(text.toString());
    b.waitUpTo(60).until(d -> d.findElements(By.cssSelector("li.upload[data-state]")).size() == 1);
    assertThat(attr("li.upload", "data-state")).as(text("li.upload")).isEqualTo("done");
    b.waitUpTo(30).until(d -> rows().equals(List.of("notes.txt")));

    // The anonymous dev-mode bucket has no owner, so only admins see it.
    @SuppressWarnings("unchecked")
    List<String> offered = (List<String>) b.js(
        "return [...document.querySelectorAll('#bucket-list option')].map(o => o.value)");
    assertThat(offered).contains("carol-files").doesNotContain(BUCKET);
    type("bucket", BUCKET);
    click("#bucket-form button[type='submit']");
    b.waitUpTo(30).until(d -> text("#list-status").startsWith("Could not list files"));
    assertThat(rows()).isEmpty();

    click("#logout");
    b.waitUpTo(30).until(d -> d.getCurrentUrl().endsWith("/login"));
    b.driver.get(url(1, "/"));
    b.waitUpTo(30).until(d -> !text("#dev-mode").isEmpty());
  }

  /** The bootstrap admin's password, from the data dir of the node that won the bootstrap. */
  String adminPassword() throws IOException {
    for (int n = 1; n <= cluster.size(); n++) {
      Path f = cluster.dir.resolve("node-" + n).resolve("admin-credentials");
      if (Files.exists(f)) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("CAIRN_ADMIN_PASSWORD=")) {
            return line.substring(line.indexOf('=') + 1);
          }
        }
      }
    }
    throw new IllegalStateException("no node wrote admin-credentials under " + cluster.dir);
  }

  @Test
  @Order(13)
  void keepsWorkingWhenANodeIsKilled() throws Exception {
    cluster.kill(3);
    b.driver.get(url(1, "/?bucket=" + BUCKET));
    b.waitUpTo(40).until(d -> "DEAD".equals(attr("li.node[data-node='3']", "data-state")));
    assertThat(text("#cluster-pill")).contains("2/3 nodes alive");
    click("#refresh");
    b.waitUpTo(30).until(d -> rows().contains(IMAGE_KEY));
    Object size = ((JavascriptExecutor) b.driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch(Cairn.fileUrl(arguments[0], arguments[1])).then(r => r.arrayBuffer()).then(a => done(a.byteLength))
          .catch(e => done(String(e)));""", BUCKET, IMAGE_KEY);
    assertThat(((Number) size).longValue()).isEqualTo(Files.size(image));
    b.fullPageScreenshot("webui-index-node-down.png");

    openDashboard(1);
    b.waitUpTo(40).until(d -> "false".equals(attr("#node-rows tr[data-node='3']", "data-reachable"))
        && "2".equals(text("[data-key='active_nodes']")));
    assertThat(text("#scrape-errors")).contains("Node 3 did not answer");
    assertThat(text("#node-rows tr[data-node='3']")).contains("DEAD").contains("unreachable");
    b.fullPageScreenshot("webui-dashboard-node-down.png");
  }

  // ---- helpers ------------------------------------------------------------------------------------

  String url(int node, String path) {
    return cluster.url(node) + path;
  }

  void openDashboard(int node) {
    b.driver.get(url(node, "/dashboard"));
    b.waitUpTo(30).until(d -> d.findElement(By.tagName("body")).getAttribute("data-updates") != null);
  }

  /** The dashboard's raw figures (data-value), as numbers; missing or null figures are left out. */
  @SuppressWarnings("unchecked")
  Map<String, Double> figures() {
    Map<String, Object> raw = (Map<String, Object>) b.js("""
        const out = {};
        document.querySelectorAll('[data-key]').forEach(e => {
          if (!(e.dataset.key in out)) out[e.dataset.key] = e.dataset.value;
        });
        return out;""");
    Map<String, Double> out = new java.util.HashMap<>();
    raw.forEach((k, v) -> {
      if (v != null && v.toString().matches("-?[0-9.eE+-]+")) {
        out.put(k, Double.parseDouble(v.toString()));
      }
    });
    return out;
  }

  // Read through one script each: the page re-renders while polling, so element handles go stale.
  @SuppressWarnings("unchecked")
  List<String> rows() {
    return (List<String>) b.js("return [...document.querySelectorAll('#file-rows tr[data-key]')]"
        + ".map(e => e.dataset.key)");
  }

  String text(String css) {
    Object t = b.js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css);
    return t == null ? "" : t.toString().trim();
  }

  String attr(String css, String name) {
    Object v = b.js("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null",
        css, name);
    return v == null ? null : v.toString();
  }

  boolean isOpen(String dialogId) {
    return Boolean.TRUE.equals(b.js("return document.getElementById(arguments[0]).open", dialogId));
  }

  void click(String css) {
    WebElement e = b.waitUpTo(30).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    e.click();
  }

  void type(String id, String value) {
    WebElement e = b.driver.findElement(By.id(id));
    e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    if (!value.isEmpty()) {
      e.sendKeys(value);
    }
  }

  void printTiming(String page) {
    Object t = b.js("""
        const n = performance.getEntriesByType('navigation')[0];
        return Math.round(n.domContentLoadedEventEnd) + ' ms to DOMContentLoaded, ' + Math.round(n.loadEventEnd)
          + ' ms to load, ' + performance.getEntriesByType('resource').length + ' resources';""");
    System.out.println("[web timing] " + page + ": " + t);
  }

  HttpResponse<byte[]> rest(int node, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url(node, "/api/v1/files/" + BUCKET + "/" + key))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  Scrape scrape(int node) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(url(node, "/metrics"))).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return PromText.parse(body);
  }

  static double sum(List<Scrape> scrapes, String metric) {
    return scrapes.stream().mapToDouble(s -> s.sum(metric)).sum();
  }

  static void writeImage(Path to, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(255, 140, 0), w, h, new Color(90, 20, 140)));
    g.fillRect(0, 0, w, h);
    g.dispose();
    ImageIO.write(img, "png", to.toFile());
  }
}
