package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.files.InMemoryFileService;
import io.cairn.server.gateway.GatewayConfig;
import io.cairn.server.gateway.HttpGateway;
import io.cairn.server.gateway.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP family over the real gateway, wired as a Node wires it: http_requests_total by route and status,
 * http_request_duration_seconds, file_{uploads,downloads,searches,deletes}_total by outcome, requests in progress.
 */
class HttpMetricsTest {
  static final String FILE_ROUTE = "/api/v1/files/{bucket}/<key>";

  @TempDir
  Path tmp;
  Metrics metrics;
  HttpGateway gateway;
  HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    metrics = new Metrics();
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
    gateway = HttpGateway.create(new GatewayConfig("127.0.0.1", 0, tmp, 1 << 20), new InMemoryFileService(), ready);
    HttpMetrics.install(gateway.app(), metrics);
    gateway.app().get("/metrics", ctx -> {
      ctx.contentType(metrics.contentType());
      metrics.write(ctx.outputStream());
    });
    gateway.start();
  }

  @AfterEach
  void stop() {
    gateway.stop();
    http.close();
  }

  int send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null && method.equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  Scrape scrape() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return Scrape.parse(r.body());
  }

  @Test
  void uploadsDownloadsSearchesAndDeletesAreCountedByOutcome() throws Exception {
    assertThat(send("PUT", "/api/v1/files/alice/a.txt", "hello")).isEqualTo(201);
    assertThat(send("GET", "/api/v1/files/alice/a.txt", null)).isEqualTo(200);
    assertThat(send("GET", "/api/v1/files/alice/missing.txt", null)).isEqualTo(404);
    assertThat(send("GET", "/api/v1/files/alice?q=a", null)).isEqualTo(200);
    assertThat(send("GET", "/download?username=alice&filename=a.txt", null)).isEqualTo(200);
    assertThat(send("POST", "/search", "username=alice&filename=a")).isEqualTo(200);
    assertThat(send("DELETE", "/api/v1/files/alice/a.txt", null)).isEqualTo(204);
    assertThat(send("POST", "/delete", "username=alice&filename=a.txt")).isEqualTo(404);

    Scrape s = scrape();
    assertThat(s.value("file_uploads_total", "status", "success")).isEqualTo(1);
    assertThat(s.value("file_uploads_total", "status", "failed")).isZero();
    assertThat(s.value("file_downloads_total", "status", "success")).isEqualTo(2);
    assertThat(s.value("file_downloads_total", "status", "failed")).isEqualTo(1);
    assertThat(s.value("file_searches_total", "status", "success")).isEqualTo(2);
    assertThat(s.value("file_deletes_total", "status", "success")).isEqualTo(1);
    assertThat(s.value("file_deletes_total", "status", "failed")).isEqualTo(1);
  }

  @Test
  void requestsAreCountedAndTimedByRouteNeverByRawPath() throws Exception {
    send("PUT", "/api/v1/files/alice/secret-name.txt", "x");
    send("GET", "/api/v1/files/alice/secret-name.txt", null);
    send("GET", "/api/v1/files/alice/secret-name.txt", null);
    send("GET", "/no/such/route/secret-name", null);
    send("POST", "/healthz", "");

    Scrape s = scrape();
    assertThat(s.value("http_requests_total", "method", "PUT", "endpoint", FILE_ROUTE, "status", "201")).isEqualTo(1);
    assertThat(s.value("http_requests_total", "method", "GET", "endpoint", FILE_ROUTE, "status", "200")).isEqualTo(2);
    assertThat(s.value("http_request_duration_seconds_count", "method", "GET", "endpoint", FILE_ROUTE)).isEqualTo(2);
    assertThat(s.value("http_request_duration_seconds_sum", "method", "GET", "endpoint", FILE_ROUTE)).isPositive();
    assertThat(s.value("http_requests_total", "method", "GET", "endpoint", "unmatched", "status", "404")).isEqualTo(1);
    assertThat(s.value("http_requests_total", "method", "POST", "endpoint", "unmatched", "status", "405"))
        .as("wrong method on a known path").isIn(0.0, 1.0);
    assertThat(s.samples.keySet()).noneMatch(k -> k.contains("secret-name") || k.contains("No handler"));
  }

  @Test
  void requestsInProgressReturnToZero() throws Exception {
    for (int i = 0; i < 5; i++) {
      send("GET", "/healthz", null);
    }
    send("GET", "/no/such/route", null);
    // The scrape itself is the one request in progress.
    assertThat(scrape().value("cairn_http_active_requests")).isEqualTo(1);
  }
}
