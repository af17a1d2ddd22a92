package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.chunk.Checksums;
import io.cairn.chunk.ChunkStoreConfig;
import io.cairn.chunk.FileChunkStore;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.ByteSize;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process without the cluster key, or replaying what it captured, can neither write, read nor delete
 * chunks nor send heartbeats: every such request gets 401 and nothing changes on disk.
 */
class ForgedInternalRequestTest {
  static final byte[] SECRET = "the-cluster-internal-secret-0123".getBytes(StandardCharsets.US_ASCII);
  static final String ID = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

  @TempDir
  Path dir;
  FileChunkStore store;
  InternalServer server;
  String base;
  final HttpClient http = HttpClient.newHttpClient();
  final InternalAuth cluster = new InternalAuth(SECRET, Clock.systemUTC());
  final byte[] data = "chunk bytes".getBytes(StandardCharsets.US_ASCII);

  @BeforeEach
  void start() {
    store = FileChunkStore.open(new ChunkStoreConfig(dir.resolve("store"), ByteSize.ofMiB(64), ByteSize.ofMiB(1)));
    // No leader duties: a heartbeat that got past authentication would fail with 500, not 401.
    server = InternalServer.start("127.0.0.1", 0, store, null, new InternalAuth(SECRET, Clock.systemUTC()), 1 << 20);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
    store.close();
    http.close();
  }

  HttpResponse<String> put(Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/internal/chunks/" + ID))
        .header(PeerClient.CRC_HEADER, Long.toString(Checksums.crc32c(body, 0, body.length)))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> call(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  long filesOnDisk() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("store"))) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().contains("chunks")).count();
    }
  }

  @Test
  void forgedWritesAreRefusedAndStoreNothing() throws Exception {
    String path = "/internal/chunks/" + ID;
    String digest = InternalAuth.sha256Hex(data, 0, data.length);
    InternalAuth stranger = new InternalAuth("some-other-secret-of-32-bytes!!!".getBytes(), Clock.systemUTC());
    Map<String, Function<Void, Map<String, String>>> attempts = new java.util.LinkedHashMap<>();
    attempts.put("no credentials", v -> Map.of());
    attempts.put("wrong key", v -> stranger.headers("PUT", path, digest));
    attempts.put("garbage signature", v -> {
      Map<String, String> h = new java.util.HashMap<>(cluster.headers("PUT", path, digest));
      h.put(InternalAuth.SIGNATURE_HEADER, "1=" + "0".repeat(64));
      return h;
    });
    attempts.put("expired", v -> {
      String old = Long.toString(System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
      String nonce = cluster.nonce();
      return Map.of(InternalAuth.TIME_HEADER, old, InternalAuth.NONCE_HEADER, nonce,
          InternalAuth.CONTENT_SHA256_HEADER, digest,
          InternalAuth.SIGNATURE_HEADER, cluster.sign("PUT", path, old, nonce, digest));
    });
    attempts.put("signed for another chunk", v -> cluster.headers("PUT", "/internal/chunks/" + "ab".repeat(32), digest));
    for (var e : attempts.entrySet()) {
      HttpResponse<String> r = put(e.getValue().apply(null), data);
      assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(401);
    }
    // A valid signature with another body than the one signed.
    HttpResponse<String> swapped = put(cluster.headers("PUT", path, digest), "evil bytes!".getBytes());
    assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(401);
    assertThat(filesOnDisk()).isZero();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aCapturedRequestCannotBeReplayed() throws Exception {
    Map<String, String> captured = cluster.headers("PUT", "/internal/chunks/" + ID,
        InternalAuth.sha256Hex(data, 0, data.length));
    assertThat(put(captured, data).statusCode()).isEqualTo(201);
    assertThat(store.list()).hasSize(1);
    store.delete(ID);
    HttpResponse<String> replay = put(captured, data);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
    assertThat(replay.body()).contains("replayed");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void forgedReadsDeletesAndHeartbeatsAreRefused() throws Exception {
    String path = "/internal/chunks/" + ID;
    assertThat(put(cluster.headers("PUT", path, InternalAuth.sha256Hex(data, 0, data.length)), data).statusCode())
        .isEqualTo(201);
    InternalAuth stranger = new InternalAuth("some-other-secret-of-32-bytes!!!".getBytes(), Clock.systemUTC());
    assertThat(call("GET", path, Map.of(), null).statusCode()).isEqualTo(401);
    HttpResponse<String> read = call("GET", path, stranger.headers("GET", path, InternalAuth.EMPTY_SHA256), null);
    assertThat(read.statusCode()).isEqualTo(401);
    assertThat(read.body()).doesNotContain("chunk bytes");
    assertThat(call("DELETE", path, Map.of(), null).statusCode()).isEqualTo(401);
    assertThat(call("DELETE", path, stranger.headers("DELETE", path, InternalAuth.EMPTY_SHA256), null).statusCode())
        .isEqualTo(401);
    assertThat(store.list()).hasSize(1);
    byte[] hb = "{\"nodeId\":9}".getBytes();
    String hbDigest = InternalAuth.sha256Hex(hb, 0, hb.length);
    assertThat(call("POST", "/internal/heartbeat", Map.of(), hb).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/internal/heartbeat", stranger.headers("POST", "/internal/heartbeat", hbDigest), hb)
        .statusCode()).isEqualTo(401);
    // Signed by the cluster but carrying another body than the one signed.
    assertThat(call("POST", "/internal/heartbeat", cluster.headers("POST", "/internal/heartbeat", hbDigest),
        "{\"nodeId\":1}".getBytes()).statusCode()).isEqualTo(401);
    // The real thing still works: a cluster member reads the chunk.
    HttpResponse<String> ok = call("GET", path, cluster.headers("GET", path, InternalAuth.EMPTY_SHA256), null);
    assertThat(ok.statusCode()).isEqualTo(200);
  }
}
