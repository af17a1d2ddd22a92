package io.cairn.bench;

import io.cairn.bench.core.Content;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed web app's form routes as its Locust file used them (gateway SeedRoutes and SeedUpload):
 * POST /upload (multipart, answers 302 with an "i:" flash cookie), GET /download, GET /files,
 * POST /search, POST /delete, GET /status. Each call returns null on success, else what was wrong.
 */
final class SeedFormClient {
  private static final String BOUNDARY = "cairnbench7d41f0";
  private final HttpClient http;

  SeedFormClient(HttpClient http) {
    this.http = http;
  }

  static HttpClient newHttp() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  String upload(String base, String user, String file, long seed, int size) throws Exception {
    String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n" + user + "\r\n--"
        + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + BOUNDARY + "--\r\n";
    List<byte[]> parts = new ArrayList<>();
    parts.add(head.getBytes(StandardCharsets.UTF_8));
    parts.add(Content.bytes(seed, size));
    parts.add(tail.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build(), HttpResponse.BodyHandlers.ofString());
    boolean confirmed = r.headers().allValues("set-cookie").stream()
        .anyMatch(c -> c.startsWith("cairn_flash=i") || c.startsWith("cairn_flash=\"i"));
    return r.statusCode() == 302 && confirmed ? null : failure(r.statusCode(), r.headers().allValues("set-cookie")
        + " " + r.body());
  }

  String download(String base, String user, String file, long size) throws Exception {
    HttpResponse<InputStream> r = http.send(get(base + "/download?" + form("username", user, "filename", file)),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      long got = in.transferTo(OutputStream.nullOutputStream());
      return got == size && r.statusCode() == 200 ? null : failure(r.statusCode(), got + " bytes of " + size);
    }
  }

  String list(String base, String user, String mustShow) throws Exception {
    HttpResponse<String> r = http.send(get(base + "/files?" + form("username", user)),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && (mustShow == null || r.body().contains("\"" + mustShow + "\"")) ? null
        : failure(r.statusCode(), "listing without " + mustShow + ": " + r.body());
  }

  String search(String base, String user, String term, String mustShow) throws Exception {
    HttpResponse<String> r = http.send(post(base + "/search", form("username", user, "filename", term)),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && r.body().contains("\"" + mustShow + "\"") ? null
        : failure(r.statusCode(), "search without " + mustShow + ": " + r.body());
  }

  String delete(String base, String user, String file) throws Exception {
    HttpResponse<String> r = http.send(post(base + "/delete", form("username", user, "filename", file)),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && r.body().contains("\"success\":true") ? null : failure(r.statusCode(), r.body());
  }

  String status(String base) throws Exception {
    HttpResponse<String> r = http.send(get(base + "/status"), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && r.body().contains("\"online\"") ? null : failure(r.statusCode(), r.body());
  }

  private static String failure(int status, String detail) {
    return "HTTP " + status + ": " + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail);
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
  }

  private static HttpRequest post(String url, String form) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }

  private static String form(String... kv) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      b.append(i == 0 ? "" : "&").append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
