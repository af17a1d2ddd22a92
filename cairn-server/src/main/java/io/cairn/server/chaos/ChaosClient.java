package io.cairn.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import io.cairn.server.chaos.Op.Kind;
import io.cairn.server.chaos.Op.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.IntFunction;

/**
 * The chaos run's REST client: one request per operation, no retries (a retry is a new operation), every
 * result recorded in the history with an outcome a checker can rely on.
 *
 * <p>A write or delete is FAILED only when it certainly had no effect: the connection was refused, the
 * answer was a 4xx, or Cairn said it stored nothing (503 INSUFFICIENT_REPLICAS, 507; see GUARANTEES.md).
 * Any other 5xx, a timeout or a broken connection leaves it INDETERMINATE. A read is OK with the content it
 * got (identified by SHA-256) or ABSENT for a 404; anything else is a FAILED read.
 */
final class ChaosClient implements AutoCloseable {
  static final String BUCKET = "chaos";

  private final History history;
  private final IntFunction<String> baseUrl;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

  ChaosClient(History history, IntFunction<String> baseUrl, Duration timeout) {
    this.history = history;
    this.baseUrl = baseUrl;
    this.timeout = timeout;
  }

  Op write(int node, String key, int size) {
    long id = history.nextWriteId();
    byte[] content = Content.of(id, size);
    history.registerContent(id, Content.sha256(content));
    long invoke = history.now();
    try {
      HttpResponse<String> r = http.send(request(node, key).PUT(HttpRequest.BodyPublishers.ofByteArray(content))
          .build(), HttpResponse.BodyHandlers.ofString());
      int s = r.statusCode();
      Outcome outcome = s == 201 ? Outcome.OK : s < 500 || nothingStored(r) ? Outcome.FAILED : Outcome.INDETERMINATE;
      return history.record(Kind.WRITE, key, node, invoke, outcome, id, false, s + " " + errorCode(r));
    } catch (IOException e) {
      return history.record(Kind.WRITE, key, node, invoke, neverSent(e) ? Outcome.FAILED : Outcome.INDETERMINATE,
          id, false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return history.record(Kind.WRITE, key, node, invoke, Outcome.INDETERMINATE, id, false, "interrupted");
    }
  }

  Op delete(int node, String key) {
    long invoke = history.now();
    try {
      HttpResponse<String> r = http.send(request(node, key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      int s = r.statusCode();
      Outcome outcome = s == 204 || s == 404 ? Outcome.OK : s < 500 ? Outcome.FAILED : Outcome.INDETERMINATE;
      return history.record(Kind.DELETE, key, node, invoke, outcome, Op.ABSENT, false, s + " " + errorCode(r));
    } catch (IOException e) {
      return history.record(Kind.DELETE, key, node, invoke, neverSent(e) ? Outcome.FAILED : Outcome.INDETERMINATE,
          Op.ABSENT, false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return history.record(Kind.DELETE, key, node, invoke, Outcome.INDETERMINATE, Op.ABSENT, false, "interrupted");
    }
  }

  Op read(int node, String key, boolean fin) {
    long invoke = history.now();
    try {
      HttpResponse<InputStream> r = http.send(request(node, key).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      int s = r.statusCode();
      if (s == 200) {
        String sha = digest(r.body());
        return history.record(Kind.READ, key, node, invoke, Outcome.OK, history.writeWithContent(sha), fin, "200");
      }
      try (InputStream body = r.body()) {
        body.readAllBytes();
      }
      return history.record(Kind.READ, key, node, invoke, s == 404 ? Outcome.OK : Outcome.FAILED, Op.ABSENT, fin,
          Integer.toString(s));
    } catch (IOException e) {
      return history.record(Kind.READ, key, node, invoke, Outcome.FAILED, Op.ABSENT, fin, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return history.record(Kind.READ, key, node, invoke, Outcome.FAILED, Op.ABSENT, fin, "interrupted");
    }
  }

  /** GET of a JSON document (cluster state, health, file metadata), or null when the node did not answer 200. */
  JsonNode json(int node, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl.apply(node) + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private HttpRequest.Builder request(int node, String key) {
    return HttpRequest.newBuilder(URI.create(baseUrl.apply(node) + "/api/v1/files/" + BUCKET + "/" + key))
        .timeout(timeout);
  }

  private static String digest(InputStream in) throws IOException {
    MessageDigest d = Content.sha256();
    try (in) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** The connection was never made, so the server never saw the request. */
  private static boolean neverSent(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Cairn's documented "nothing was written" answers: too few replicas before the commit, or no space. */
  private static boolean nothingStored(HttpResponse<String> r) {
    String code = errorCode(r);
    return r.statusCode() == 507 || code.equals("INSUFFICIENT_REPLICAS");
  }

  private static String errorCode(HttpResponse<String> r) {
    if (r.statusCode() < 400) {
      return "";
    }
    try {
      return Json.MAPPER.readTree(r.body()).path("error").path("code").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
