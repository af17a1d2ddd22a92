package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Every public input is bounded and validated: each bad request below gets the expected 4xx with a
 * message, and afterwards the store holds exactly what it held before and the spool directory is empty.
 */
class InputHardeningTest extends GatewayTestBase {
  static final int MAX_UPLOAD = 4096;

  @Override
  GatewayConfig config() {
    return new GatewayConfig("127.0.0.1", 0, tmp.resolve("gw-tmp"), MAX_UPLOAD);
  }

  record Case(String name, HttpRequest.Builder request, int status, String message) {}

  HttpRequest.Builder putTo(String path, byte[] body) {
    return request(path).PUT(BodyPublishers.ofByteArray(body));
  }

  HttpRequest.Builder upload(String contentType, String body) {
    return request("/upload").header("Content-Type", contentType).POST(BodyPublishers.ofString(body));
  }

  static String multipart(String boundary, String username, String filename, String content) {
    StringBuilder sb = new StringBuilder();
    if (username != null) {
      sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n")
          .append(username).append("\r\n");
    }
    if (filename != null) {
      sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
          .append(filename).append("\"\r\nContent-Type: text/plain\r\n\r\n").append(content).append("\r\n");
    }
    return sb.append("--").append(boundary).append("--\r\n").toString();
  }

  List<Case> cases() {
    byte[] small = "data".getBytes(StandardCharsets.US_ASCII);
    String mp = "multipart/form-data; boundary=XyZ";
    List<Case> c = new ArrayList<>();
    // Bucket and key names
    c.add(new Case("bucket too long", putTo("/api/v1/files/" + "a".repeat(64) + "/k", small), 400, "1-63"));
    c.add(new Case("bucket upper case", putTo("/api/v1/files/Photos/k", small), 400, "lowercase"));
    c.add(new Case("bucket with NUL", putTo("/api/v1/files/b%00x/k", small), 400, null));
    c.add(new Case("key ../ traversal", putTo("/api/v1/files/b/a/..%2F..%2Fetc%2Fpasswd", small), 400, null));
    c.add(new Case("key %2e%2e segment", putTo("/api/v1/files/b/%2e%2e/x", small), 400, null));
    c.add(new Case("key backslash traversal", putTo("/api/v1/files/b/a%5C..%5Cb", small), 400, "'..'"));
    c.add(new Case("key absolute path", putTo("/api/v1/files/b//etc/passwd", small), 400, "'/'"));
    c.add(new Case("key with NUL", putTo("/api/v1/files/b/a%00b", small), 400, null)); // Jetty refuses it
    c.add(new Case("key with control char", putTo("/api/v1/files/b/a%1Bb", small), 400, "control"));
    c.add(new Case("key too long", putTo("/api/v1/files/b/" + "k".repeat(1025), small), 400, "1024"));
    c.add(new Case("key not UTF-8", putTo("/api/v1/files/b/a%FFb", small), 400, "UTF-8"));
    // Headers and bodies
    c.add(new Case("header too large", request("/api/v1/files/b/ok.txt").header("X-Big", "x".repeat(20_000)).GET(),
        431, null));
    c.add(new Case("user metadata too large", putTo("/api/v1/files/b/meta.txt", small)
        .header("x-cairn-meta-note", "n".repeat(3000)), 400, "metadata"));
    c.add(new Case("upload above max", putTo("/api/v1/files/b/big.bin", new byte[MAX_UPLOAD + 1]), 413, null));
    // Range headers on a 10-byte file
    String ok = "/api/v1/files/b/ok.txt";
    c.add(new Case("range suffix zero", request(ok).header("Range", "bytes=-0").GET(), 416, null));
    c.add(new Case("range reversed", request(ok).header("Range", "bytes=5-2").GET(), 400, "before its start"));
    c.add(new Case("range negative", request(ok).header("Range", "bytes=-5-2").GET(), 400, null));
    c.add(new Case("range overflowing", request(ok).header("Range", "bytes=99999999999999999999-").GET(), 400,
        "too large"));
    c.add(new Case("range past the end", request(ok).header("Range", "bytes=10-").GET(), 416, null));
    c.add(new Case("range other unit", request(ok).header("Range", "items=0-1").GET(), 400, "bytes="));
    c.add(new Case("range garbage", request(ok).header("Range", "bytes=" + "a".repeat(5000)).GET(), 400, null));
    // Query parameters
    c.add(new Case("limit zero", request("/api/v1/files/b?limit=0").GET(), 400, "at least 1"));
    c.add(new Case("limit negative", request("/api/v1/files/b?limit=-5").GET(), 400, "at least 1"));
    c.add(new Case("limit not a number", request("/api/v1/files/b?limit=ten").GET(), 400, "whole number"));
    c.add(new Case("limit overflowing", request("/api/v1/files/b?limit=" + "9".repeat(30)).GET(), 400,
        "whole number"));
    c.add(new Case("cursor too long", request("/api/v1/files/b?cursor=" + "c".repeat(2000)).GET(), 400,
        "cursor"));
    c.add(new Case("prefix too long", request("/api/v1/files/b?prefix=" + "p".repeat(2000)).GET(), 400,
        "prefix"));
    c.add(new Case("search too long", request("/api/v1/files/b?q=" + "q".repeat(300)).GET(), 400,
        "search"));
    // Seed form uploads (multipart)
    c.add(new Case("form without boundary", upload("multipart/form-data", "--x\r\n"), 400, null));
    c.add(new Case("form without file part", upload(mp, multipart("XyZ", "ada", null, null)), 400, "'file'"));
    c.add(new Case("form without username", upload(mp, multipart("XyZ", null, "a.txt", "hi")), 400, "username"));
    c.add(new Case("form username traversal", upload(mp, multipart("XyZ", "../etc", "a.txt", "hi")), 400, null));
    c.add(new Case("form file name ..", upload(mp, multipart("XyZ", "ada", "..", "hi")), 400, "'..'"));
    c.add(new Case("form truncated", upload(mp, "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.txt\"\r\n\r\nno end"), 400, null));
    c.add(new Case("form not multipart", upload("application/json", "{\"file\":\"x\"}"), 400, null));
    c.add(new Case("form file above max", upload(mp, multipart("XyZ", "ada", "big.txt", "x".repeat(MAX_UPLOAD + 10))),
        413, null));
    return c;
  }

  @Test
  void everyBadInputGetsA4xxWithAMessageAndChangesNothing() throws Exception {
    assertThat(put("/api/v1/files/b/ok.txt", "0123456789".getBytes()).statusCode()).isEqualTo(201);
    String before = text(get("/api/v1/files/b")) + files.buckets();
    List<String> failures = new ArrayList<>();
    for (Case c : cases()) {
      HttpResponse<byte[]> r = send(c.request());
      String body = text(r);
      if (r.statusCode() != c.status() || c.message() != null && !body.contains(c.message())) {
        failures.add(c.name() + ": expected " + c.status() + (c.message() == null ? "" : " with '" + c.message() + "'")
            + ", got " + r.statusCode() + " " + body.substring(0, Math.min(200, body.length())));
      }
      if (r.statusCode() < 500 && r.statusCode() != 431 && r.statusCode() != 416 && !body.isEmpty()) {
        assertThat(body).as(c.name()).contains("\"error\"");
      }
    }
    assertThat(failures).isEmpty();
    assertThat(text(get("/api/v1/files/b")) + files.buckets()).isEqualTo(before);
    try (Stream<java.nio.file.Path> spooled = Files.walk(tmp.resolve("gw-tmp"))) {
      assertThat(spooled.filter(Files::isRegularFile)).as("spooled upload parts left behind").isEmpty();
    }
  }

  @Test
  void severalRangesGetTheWholeFile() {
    assertThat(put("/api/v1/files/b/ok.txt", "0123456789".getBytes()).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> r = send(request("/api/v1/files/b/ok.txt").header("Range", "bytes=0-1,3-4").GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("0123456789");
  }

  @Test
  void slowClientsAreCutOffByTheIdleTimeout() {
    var connectors = gateway.app().jettyServer().server().getConnectors();
    assertThat(connectors).hasSize(1);
    assertThat(((ServerConnector) connectors[0]).getIdleTimeout())
        .isEqualTo(io.cairn.server.tls.Connectors.IDLE_TIMEOUT.toMillis());
  }
}
