package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SeedRoutesTest extends GatewayTestBase {
  private HttpResponse<byte[]> upload(byte[] body, String... headers) {
    var b = request("/upload").header("Content-Type", Multipart.contentType()).POST(BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  private HttpResponse<byte[]> upload(String user, String filename, byte[] content) {
    return upload(new Multipart().field("username", user).file("file", filename, "image/png", content).build());
  }

  private HttpResponse<byte[]> postForm(String path, String form) {
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString(form)));
  }

  private static String flash(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Flash.COOKIE + "="))
        .map(c -> URLDecoder.decode(c.substring(Flash.COOKIE.length() + 1, c.indexOf(';')), StandardCharsets.UTF_8))
        .findFirst().orElse(null);
  }

  @Test
  void uploadStoresAndRedirectsWithFlash() {
    byte[] png = "PNG-bytes".getBytes();
    HttpResponse<byte[]> r = upload("alice", "cat photo.png", png);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/");
    assertThat(flash(r)).isEqualTo("i:File 'cat photo.png' uploaded successfully");
    assertThat(files.content("alice", "cat photo.png")).isEqualTo(png);
    assertThat(files.stat("alice", "cat photo.png").contentType()).isEqualTo("image/png");

    HttpResponse<byte[]> dup = upload("alice", "cat photo.png", "other".getBytes());
    assertThat(dup.statusCode()).isEqualTo(302);
    assertThat(flash(dup)).isEqualTo("e:File already exists");
    assertThat(files.content("alice", "cat photo.png")).isEqualTo(png);
  }

  @Test
  void uploadKeepsOnlyTheBaseNameOfAWindowsPath() {
    upload("bob", "C:\\Users\\bob\\notes.txt", "n".getBytes());
    assertThat(files.exists("bob", "notes.txt")).isTrue();
  }

  @Test
  void uploadSpoolsLargeFilesToTmpDirAndCleansUp() throws IOException {
    byte[] big = new byte[3 << 20];
    big[big.length - 1] = 42;
    java.util.concurrent.atomic.AtomicLong spooled = new java.util.concurrent.atomic.AtomicLong(-1);
    files.onPut(req -> {
      try (Stream<java.nio.file.Path> s = Files.list(tmp.resolve("gw-tmp"))) {
        spooled.set(s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(upload("carol", "big.bin", big).statusCode()).isEqualTo(302);
    assertThat(spooled.get()).as("bytes spooled to tmpDir while storing").isGreaterThanOrEqualTo(big.length);
    assertThat(files.content("carol", "big.bin")).isEqualTo(big);
    try (Stream<java.nio.file.Path> left = Files.list(tmp.resolve("gw-tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void uploadWithMissingOrBadFieldsIs400ForApiClientsAndFlashForBrowsers() {
    byte[] noUser = new Multipart().file("file", "a.txt", "text/plain", "x".getBytes()).build();
    HttpResponse<byte[]> r = upload(noUser);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").path("message").asText()).contains("username");

    byte[] noFile = new Multipart().field("username", "alice").build();
    assertThat(json(upload(noFile)).path("error").path("message").asText()).contains("file");

    byte[] badUser = new Multipart().field("username", "Not Valid!").file("file", "a.txt", "text/plain",
        "x".getBytes()).build();
    assertThat(upload(badUser).statusCode()).isEqualTo(400);

    HttpResponse<byte[]> browser = upload(noUser, "Accept", "text/html,application/xhtml+xml");
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(flash(browser)).startsWith("e:").contains("username");

    HttpResponse<byte[]> notMultipart = postForm("/upload", form("username", "alice"));
    assertThat(notMultipart.statusCode()).isEqualTo(400);
    assertThat(files.fileCount()).isZero();
  }

  @Test
  void uploadFailuresFromTheStoreAreFlashed() {
    files.failWith(new CairnException(ErrorCode.NO_LEADER, "no leader"));
    HttpResponse<byte[]> r = upload("alice", "a.txt", "x".getBytes());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(flash(r)).isEqualTo("e:Upload failed: no leader");
  }

  @Test
  void uploadOverTheLimitIsRejected() {
    gateway.stop();
    gateway = HttpGateway.start(new GatewayConfig("127.0.0.1", 0, tmp.resolve("small"), 1000), files, readiness);
    HttpResponse<byte[]> r = upload("alice", "big.bin", new byte[5000]);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(files.fileCount()).isZero();
  }

  @Test
  void filesDownloadSearchDelete() {
    upload("alice", "holiday.jpg", "h".getBytes());
    upload("alice", "Holiday-2.JPG", "h2".getBytes());
    upload("alice", "notes.txt", "n".getBytes());

    assertThat(names(get("/files?username=alice"))).containsExactly("Holiday-2.JPG", "holiday.jpg", "notes.txt");
    assertThat(names(get("/files?username=nobody"))).isEmpty();
    assertThat(get("/files").statusCode()).isEqualTo(400);

    HttpResponse<byte[]> d = get("/download?username=alice&filename=notes.txt");
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(d.body()).isEqualTo("n".getBytes());
    assertThat(d.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
    assertThat(get("/download?username=alice&filename=missing.txt").statusCode()).isEqualTo(404);
    assertThat(get("/download?username=nobody&filename=x").statusCode()).isEqualTo(404);

    assertThat(names(postForm("/search", form("username", "alice", "filename", "holiday"))))
        .containsExactly("Holiday-2.JPG", "holiday.jpg");
    assertThat(names(postForm("/search", form("username", "alice", "filename", "zzz")))).isEmpty();

    HttpResponse<byte[]> del = postForm("/delete", form("username", "alice", "filename", "notes.txt"));
    assertThat(del.statusCode()).isEqualTo(200);
    assertThat(json(del).path("success").asBoolean()).isTrue();
    assertThat(json(del).path("message").asText()).contains("notes.txt");
    HttpResponse<byte[]> again = postForm("/delete", form("username", "alice", "filename", "notes.txt"));
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(json(again).path("success").asBoolean()).isFalse();
    assertThat(files.exists("alice", "notes.txt")).isFalse();
  }

  @Test
  void apiFilesListsDetails() {
    upload("dave", "a.png", "1234".getBytes());
    JsonNode f = json(get("/api/files/dave")).path("files").get(0);
    assertThat(f.path("filename").asText()).isEqualTo("a.png");
    assertThat(f.path("size").asLong()).isEqualTo(4);
    assertThat(f.path("upload_time").asText()).endsWith("Z");
    assertThat(json(get("/api/files/nobody")).path("files")).isEmpty();
    assertThat(get("/api/files/BAD").statusCode()).isEqualTo(400);
  }

  @Test
  void statusReportsClusterAndReadiness() {
    files.cluster(new ClusterView(3, 4, List.of(
        new NodeInfo(1, "http://a", "http://a:1", "a:2", 1, "", NodeState.ALIVE),
        new NodeInfo(2, "http://b", "http://b:1", "b:2", 1, "", NodeState.DEAD),
        new NodeInfo(3, "http://c", "http://c:1", "c:2", 1, "", NodeState.ALIVE))));
    HttpResponse<byte[]> r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode s = json(r);
    assertThat(s.path("status").asText()).isEqualTo("online");
    assertThat(s.path("leader").asInt()).isEqualTo(3);
    assertThat(s.path("nodes_alive").asInt()).isEqualTo(2);
    assertThat(s.path("nodes_total").asInt()).isEqualTo(3);

    readiness.ready = false;
    HttpResponse<byte[]> down = get("/status");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json(down).path("status").asText()).isEqualTo("offline");
  }

  @Test
  void indexPageShowsFlashFormAndFiles() {
    HttpResponse<byte[]> up = upload("erin", "<script>.txt", "x".getBytes());
    String cookies = String.join("; ", up.headers().allValues("Set-Cookie").stream()
        .map(c -> c.substring(0, c.indexOf(';'))).toList());
    HttpResponse<byte[]> page = send(request("/").header("Cookie", cookies).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    String html = text(page);
    assertThat(html).contains("uploaded successfully").contains("action=\"/upload\"")
        .contains("enctype=\"multipart/form-data\"").contains("&lt;script&gt;.txt")
        .contains("/download?username=erin&amp;filename=%3Cscript%3E.txt").doesNotContain("<script>.txt");
    assertThat(flash(page)).isEmpty();

    String other = text(get("/?username=nobody"));
    assertThat(other).contains("No files for nobody").doesNotContain("uploaded successfully");
  }

  private static List<String> names(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    json(r).path("files").forEach(n -> out.add(n.asText()));
    return out;
  }
}
