package io.cairn.server.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.cairn.common.Json;
import io.cairn.server.files.InMemoryFileService;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Starts a gateway over an {@link InMemoryFileService} on a free loopback port for each test. */
abstract class GatewayTestBase {
  static {
    // No logback-test.xml in this module yet: keep Jetty's debug chatter out of test output.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
  }

  @TempDir
  Path tmp;
  InMemoryFileService files;
  HttpGateway gateway;
  HttpClient http;
  MutableReadiness readiness;

  static final class MutableReadiness implements Readiness {
    volatile boolean ready = true;
    volatile String detail = "ok";

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public String detail() {
      return detail;
    }
  }

  @BeforeEach
  void startGateway() {
    files = new InMemoryFileService(1 << 10);
    readiness = new MutableReadiness();
    gateway = HttpGateway.start(config(), files, readiness);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  GatewayConfig config() {
    return GatewayConfig.loopback(tmp.resolve("gw-tmp"));
  }

  @AfterEach
  void stopGateway() {
    gateway.stop();
    http.close();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
  }

  HttpResponse<byte[]> send(HttpRequest.Builder b) {
    try {
      return http.send(b.build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path) {
    return send(request(path).GET());
  }

  HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
    HttpRequest.Builder b = request(path).PUT(BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    return Json.read(r.body(), JsonNode.class);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Percent-encodes a key for a URL path, keeping '/' as the separator. */
  static String path(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append(String.format("%%%02X", c));
      }
    }
    return out.toString();
  }

  static String form(String... kv) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(java.net.URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=')
          .append(java.net.URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
