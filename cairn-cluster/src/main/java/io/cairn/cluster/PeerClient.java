package io.cairn.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Calls other nodes' internal endpoints: chunk put/get/delete and heartbeats.
 *
 * <p>Errors: a peer that cannot be reached or times out gives UNAVAILABLE/TIMEOUT (retryable; try
 * another replica); a peer's own error comes back with the peer's {@link ErrorCode}. Thread-safe.
 */
public final class PeerClient implements AutoCloseable {
  public static final String CRC_HEADER = "X-Cairn-Crc32c";

  private final HttpClient http;
  private final InternalAuth auth;
  private final Duration chunkTimeout;
  private volatile CallObserver observer = (op, nanos, ok) -> { };

  /** Told of every call to a peer when it ends: the operation, how long it took, whether it succeeded. */
  @FunctionalInterface
  public interface CallObserver {
    /** Called on the calling thread; must return quickly. */
    void completed(String op, long nanos, boolean ok);
  }

  public PeerClient(InternalAuth auth, Duration chunkTimeout) {
    this.auth = auth;
    this.chunkTimeout = chunkTimeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  /** Stores a chunk on the peer; returns when the peer has fsynced it. */
  public void putChunk(String baseUrl, String chunkId, byte[] data, int length, long crc32c) {
    String path = chunkPath(chunkId);
    HttpRequest req = signed("PUT", baseUrl, path, chunkTimeout, InternalAuth.sha256Hex(data, 0, length))
        .header(CRC_HEADER, Long.toString(crc32c))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, length))
        .build();
    expectOk(send(req, HttpResponse.BodyHandlers.ofByteArray()), baseUrl);
  }

  /** Reads a chunk's stored bytes; the caller verifies them against the CRC it has in metadata. */
  public byte[] getChunk(String baseUrl, String chunkId) {
    HttpRequest req = signed("GET", baseUrl, chunkPath(chunkId), chunkTimeout, InternalAuth.EMPTY_SHA256).GET().build();
    return expectOk(send(req, HttpResponse.BodyHandlers.ofByteArray()), baseUrl).body();
  }

  /** Deletes a chunk on the peer; false when the peer did not have it. */
  public boolean deleteChunk(String baseUrl, String chunkId) {
    HttpRequest req = signed("DELETE", baseUrl, chunkPath(chunkId), Duration.ofSeconds(10), InternalAuth.EMPTY_SHA256)
        .DELETE().build();
    HttpResponse<byte[]> resp = send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() == 404) {
      return false;
    }
    expectOk(resp, baseUrl);
    return true;
  }

  /** Sends a heartbeat to the leader and returns its reply. */
  public HeartbeatReply heartbeat(String leaderBaseUrl, Heartbeat hb) {
    byte[] json = Json.write(hb);
    HttpRequest req = signed("POST", leaderBaseUrl, "/internal/heartbeat", Duration.ofSeconds(3),
        InternalAuth.sha256Hex(json, 0, json.length))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
    byte[] body = expectOk(send(req, HttpResponse.BodyHandlers.ofByteArray()), leaderBaseUrl).body();
    return Json.read(body, HeartbeatReply.class);
  }

  /** Sets who is told of each call (metrics); replaces any earlier observer. */
  public PeerClient observe(CallObserver o) {
    this.observer = java.util.Objects.requireNonNull(o, "observer");
    return this;
  }

  static String chunkPath(String chunkId) {
    return "/internal/chunks/" + URLEncoder.encode(chunkId, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder signed(String method, String baseUrl, String path, Duration timeout,
      String contentSha256) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    auth.headers(method, path, contentSha256).forEach(b::header);
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      HttpResponse<T> resp = http.send(req, handler);
      int s = resp.statusCode();
      ok = s >= 200 && s < 300 || s == 404 && req.method().equals("DELETE");
      return resp;
    } catch (java.net.http.HttpTimeoutException e) {
      throw new CairnException(ErrorCode.TIMEOUT, "peer " + req.uri().getAuthority() + " timed out", e);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.UNAVAILABLE,
          "peer " + req.uri().getAuthority() + " unreachable (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, "interrupted while calling a peer", e);
    } finally {
      observer.completed(operation(req), System.nanoTime() - t0, ok);
    }
  }

  /** A bounded name for a call (never the chunk id): put_chunk, get_chunk, delete_chunk, heartbeat. */
  static String operation(HttpRequest req) {
    String path = req.uri().getRawPath();
    if (path.startsWith("/internal/chunks/")) {
      return switch (req.method()) {
        case "PUT" -> "put_chunk";
        case "GET" -> "get_chunk";
        case "DELETE" -> "delete_chunk";
        default -> "other";
      };
    }
    return path.equals("/internal/heartbeat") ? "heartbeat" : "other";
  }

  private static HttpResponse<byte[]> expectOk(HttpResponse<byte[]> resp, String peer) {
    int s = resp.statusCode();
    if (s >= 200 && s < 300) {
      return resp;
    }
    throw decodeError(s, resp.body(), peer);
  }

  /** Turns a peer's JSON error body back into the CairnException it threw. */
  static CairnException decodeError(int status, byte[] body, String peer) {
    try {
      JsonNode err = Json.MAPPER.readTree(body).path("error");
      ErrorCode code = ErrorCode.valueOf(err.path("code").asText());
      return new CairnException(code, "peer " + peer + ": " + err.path("message").asText());
    } catch (IOException | IllegalArgumentException e) {
      return new CairnException(status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
          "peer " + peer + " answered HTTP " + status);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
