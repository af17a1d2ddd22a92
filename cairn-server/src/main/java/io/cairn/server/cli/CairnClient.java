package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Talks to the REST API of any node, failing over between nodes.
 *
 * <p><b>Failover.</b> A request goes to the endpoints in order. A connection failure, or a 502/503/504
 * answer (a node without a leader, overloaded, short of replicas), moves on to the next endpoint; any
 * other answer is final. When only one endpoint was given, the others are learned from
 * {@code GET /api/v1/cluster} before giving up. If some node answered 503, the whole list is tried
 * again after its Retry-After, {@code retries} more times. Then the command fails with exit code 4.
 *
 * <p><b>Replays.</b> Each attempt builds a fresh request, so an upload restarts its body from the file.
 * Callers whose body or sink cannot be replayed (stdin, stdout) pass a {@code replayable} check; once it
 * is false, the first failure is final.
 */
final class CairnClient implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final long MAX_PAUSE_MILLIS = 5_000;

  /** Reads a 2xx response. An IOException means the transfer broke and another endpoint may be tried. */
  interface Reader<T> {
    T read(HttpResponse<InputStream> response) throws IOException;
  }

  private final HttpClient http;
  private final List<URI> endpoints;
  private final int retries;
  private final String authorization;
  private boolean discovered;

  CairnClient(List<URI> endpoints, int retries) {
    this(endpoints, retries, null, null);
  }

  /**
   * @param authorization an Authorization header value sent with every request, or null
   * @param trust when set, HTTPS endpoints are trusted when their certificate chains to it
   */
  CairnClient(List<URI> endpoints, int retries, String authorization, javax.net.ssl.SSLContext trust) {
    this.authorization = authorization;
    this.endpoints = new ArrayList<>(endpoints);
    this.retries = retries;
    this.discovered = endpoints.size() > 1;
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (trust != null) {
      b.sslContext(trust);
    }
    this.http = b.build();
  }

  /** Parses {@code --endpoint} values: comma lists, missing scheme, trailing slashes. */
  static List<URI> parseEndpoints(List<String> args) {
    List<URI> out = new ArrayList<>();
    for (String arg : args) {
      for (String part : arg.split(",")) {
        String s = part.trim();
        if (s.isEmpty()) {
          continue;
        }
        if (!s.contains("://")) {
          s = "http://" + s;
        }
        while (s.endsWith("/")) {
          s = s.substring(0, s.length() - 1);
        }
        try {
          URI u = URI.create(s);
          if (u.getHost() == null || !u.getScheme().toLowerCase(Locale.ROOT).startsWith("http")) {
            throw new IllegalArgumentException("not an http URL");
          }
          if (!out.contains(u)) {
            out.add(u);
          }
        } catch (IllegalArgumentException e) {
          throw CliException.usage("bad --endpoint '" + part.trim() + "': " + e.getMessage());
        }
      }
    }
    if (out.isEmpty()) {
      throw CliException.usage("no endpoint given");
    }
    return out;
  }

  /** GETs JSON from {@code pathAndQuery}; {@code subject} names the thing asked for in error messages. */
  JsonNode json(String subject, String pathAndQuery) {
    return send(subject, base -> HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(CALL_TIMEOUT)
        .header("Accept", "application/json").GET().build(), CairnClient::readJson, () -> true);
  }

  static JsonNode readJson(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return Json.MAPPER.readTree(in);
    }
  }

  <T> T send(String subject, Function<URI, HttpRequest> request, Reader<T> reader, BooleanSupplier replayable) {
    String problem = "no endpoint answered";
    for (int round = 0; round <= retries; round++) {
      long pauseMillis = -1;
      for (int i = 0; i < endpoints.size(); i++) {
        URI base = endpoints.get(i);
        try {
          HttpResponse<InputStream> r = http.send(authorized(request.apply(base)), BodyHandlers.ofInputStream());
          if (r.statusCode() / 100 == 2) {
            return reader.read(r);
          }
          ServerError err = ServerError.read(r);
          if (!err.failover()) {
            throw err.toException(subject);
          }
          problem = base + " answered " + err.describe();
          pauseMillis = Math.max(pauseMillis, err.retryAfterMillis());
        } catch (IOException e) {
          problem = base + ": " + describe(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.unavailable("interrupted");
        }
        if (!replayable.getAsBoolean()) {
          throw CliException.unavailable(problem + " (cannot retry: the data was already streamed)");
        }
        if (i == endpoints.size() - 1) {
          discover();
        }
      }
      if (pauseMillis < 0 || round == retries) {
        break;
      }
      pause(Math.min(pauseMillis, MAX_PAUSE_MILLIS));
    }
    throw CliException.unavailable("cluster unavailable (" + endpoints.size() + " endpoint"
        + (endpoints.size() == 1 ? "" : "s") + " tried), last: " + problem);
  }

  /** Learns the other nodes' HTTP addresses, once, when the user named only one. */
  private void discover() {
    if (discovered) {
      return;
    }
    discovered = true;
    for (URI base : List.copyOf(endpoints)) {
      try {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/v1/cluster")).timeout(CONNECT_TIMEOUT)
            .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> r = http.send(authorized(req), BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
          r.body().close();
          continue;
        }
        for (JsonNode node : readJson(r).path("nodes")) {
          String addr = node.path("httpAddress").asText("");
          if (!addr.isBlank()) {
            parseEndpoints(List.of(addr)).stream().filter(u -> !endpoints.contains(u)).forEach(endpoints::add);
          }
        }
        return;
      } catch (IOException | RuntimeException e) {
        // This endpoint cannot tell us either; try the next one.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The request with the client's credentials added (commands build requests without them). */
  private HttpRequest authorized(HttpRequest req) {
    if (authorization == null) {
      return req;
    }
    return HttpRequest.newBuilder(req, (name, value) -> !name.equalsIgnoreCase("Authorization"))
        .header("Authorization", authorization).build();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.unavailable("interrupted");
    }
  }

  private static String describe(IOException e) {
    String what = e.getClass().getSimpleName();
    String msg = e.getMessage();
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    return msg == null || msg.isBlank() ? what : what + ": " + msg;
  }

  @Override
  public void close() {
    http.close();
  }
}
