package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FileRoutesTest extends GatewayTestBase {
  @ParameterizedTest
  @ValueSource(strings = {"plain.txt", "a/b/c.bin", "with space/and+plus.txt", "ünïcødé/日本語 ファイル.jpg",
      "percent%25and%2Fslash", "q?x#y;z&w=1", "dir/", "a//b", "emoji-\uD83D\uDE00.png",
      "replacement-\uFFFD-char"})
  void putGetHeadDeleteRoundTripsAnyKey(String key) {
    byte[] body = ("content of " + key).getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> put = put("/api/v1/files/photos/" + path(key), body, "Content-Type", "text/plain");
    assertThat(put.statusCode()).isEqualTo(201);
    JsonNode stored = json(put);
    assertThat(stored.path("bucket").asText()).isEqualTo("photos");
    assertThat(stored.path("key").asText()).isEqualTo(key);
    assertThat(stored.path("size").asLong()).isEqualTo(body.length);
    assertThat(files.content("photos", key)).isEqualTo(body);

    HttpResponse<byte[]> get = get("/api/v1/files/photos/" + path(key));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(body);

    HttpResponse<byte[]> head = send(request("/api/v1/files/photos/" + path(key)).method("HEAD",
        BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(body.length);

    HttpResponse<byte[]> del = send(request("/api/v1/files/photos/" + path(key)).DELETE());
    assertThat(del.statusCode()).isEqualTo(204);
    assertThat(files.exists("photos", key)).isFalse();
    assertThat(get("/api/v1/files/photos/" + path(key)).statusCode()).isEqualTo(404);
  }

  @Test
  void putAnswersTheStoredRecordAndKeepsMetadata() {
    HttpResponse<byte[]> put = put("/api/v1/files/docs/r.pdf", "pdf!".getBytes(), "Content-Type",
        "application/pdf", "x-cairn-meta-Owner", "ann", "x-amz-meta-color", "red");
    JsonNode j = json(put);
    assertThat(j.fieldNames()).toIterable().containsExactly("bucket", "key", "size", "sha256", "md5", "etag",
        "chunks", "contentType", "created");
    assertThat(j.path("contentType").asText()).isEqualTo("application/pdf");
    assertThat(j.path("etag").asText()).isEqualTo("\"" + j.path("md5").asText() + "\"");
    assertThat(j.path("chunks").asInt()).isEqualTo(1);
    assertThat(put.headers().firstValue("ETag")).hasValue(j.path("etag").asText());
    assertThat(files.stat("docs", "r.pdf").userMeta()).containsEntry("owner", "ann").containsEntry("color", "red");
  }

  @Test
  void getSendsDownloadHeaders() {
    put("/api/v1/files/docs/" + path("reports/Q1 résumé.pdf"), "abc".getBytes(), "Content-Type",
        "application/pdf");
    HttpResponse<byte[]> r = get("/api/v1/files/docs/" + path("reports/Q1 résumé.pdf"));
    var h = r.headers();
    assertThat(h.firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(h.firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(h.firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]{32}\"");
    assertThat(h.firstValue("Last-Modified").orElseThrow()).endsWith("GMT");
    assertThat(h.firstValue("X-Cairn-Sha256").orElseThrow()).hasSize(64);
    assertThat(h.firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"Q1 r_sum_.pdf\"; filename*=UTF-8''Q1%20r%C3%A9sum%C3%A9.pdf");
    HttpResponse<byte[]> inline = get("/api/v1/files/docs/" + path("reports/Q1 résumé.pdf") + "?inline=1");
    assertThat(inline.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline;");
  }

  @Test
  void ifNoneMatchGivesNotModified() {
    put("/api/v1/files/b/k", "v1".getBytes());
    String etag = get("/api/v1/files/b/k").headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> r = send(request("/api/v1/files/b/k").header("If-None-Match", etag).GET());
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    HttpResponse<byte[]> other = send(request("/api/v1/files/b/k").header("If-None-Match", "\"nope\"").GET());
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void ifNoneMatchStarOnPutRefusesToReplace() {
    assertThat(put("/api/v1/files/b/k", "one".getBytes(), "If-None-Match", "*").statusCode()).isEqualTo(201);
    HttpResponse<byte[]> again = put("/api/v1/files/b/k", "two".getBytes(), "If-None-Match", "*");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("error").path("code").asText()).isEqualTo("ALREADY_EXISTS");
    assertThat(files.content("b", "k")).isEqualTo("one".getBytes());
    assertThat(put("/api/v1/files/b/k", "three".getBytes()).statusCode()).isEqualTo(201);
    assertThat(files.content("b", "k")).isEqualTo("three".getBytes());
  }

  @Test
  void zeroByteFilesWork() {
    assertThat(put("/api/v1/files/b/empty", new byte[0]).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> r = get("/api/v1/files/b/empty");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(0);
    HttpResponse<byte[]> ranged = send(request("/api/v1/files/b/empty").header("Range", "bytes=0-").GET());
    assertThat(ranged.statusCode()).isEqualTo(416);
    assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes */0");
  }

  @Test
  void missingFilesAre404Json() {
    for (String method : new String[] {"GET", "DELETE"}) {
      HttpResponse<byte[]> r = send(request("/api/v1/files/b/none").method(method, BodyPublishers.noBody()));
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("NO_SUCH_KEY");
    }
    HttpResponse<byte[]> head = send(request("/api/v1/files/b/none").method("HEAD", BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(404);
  }

  @Test
  void malformedNamesAre400AndChangeNothing() {
    for (String path : new String[] {"/api/v1/files/Bad_Bucket/k", "/api/v1/files/-x/k",
        "/api/v1/files/b/a/../c", "/api/v1/files/b/a/%2e/c", "/api/v1/files/b/ctl%01char",
        "/api/v1/files/b/bad%C3%28utf8"}) {
      HttpResponse<byte[]> r = put(path, "x".getBytes());
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
      assertThat(json(r).path("error").path("message").asText()).isNotBlank();
    }
    HttpResponse<byte[]> badInm = put("/api/v1/files/b/k", "x".getBytes(), "If-None-Match", "\"abc\"");
    assertThat(badInm.statusCode()).isEqualTo(400);
    assertThat(files.fileCount()).isZero();
  }

  @Test
  void uploadsOverTheLimitAre413() {
    gateway.stop();
    gateway = HttpGateway.start(new GatewayConfig("127.0.0.1", 0, tmp.resolve("t2"), 10), files, readiness);
    HttpResponse<byte[]> r = put("/api/v1/files/b/big", new byte[11]);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    HttpResponse<byte[]> chunked = send(request("/api/v1/files/b/big")
        .PUT(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[11]))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(put("/api/v1/files/b/ok", new byte[10]).statusCode()).isEqualTo(201);
    assertThat(files.exists("b", "big")).isFalse();
  }
}
