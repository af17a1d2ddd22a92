package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster core against three real node processes: data path, replication, REST API. */
class ClusterIT {
  static final int MIB = 1 << 20;
  static TestCluster c;

  @BeforeAll
  static void up() {
    c = TestCluster.start(3, "512m");
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  static String fileUrl(int node, String bucket, String key) {
    return c.url(node) + "/api/v1/files/" + bucket + "/" + encodeKey(key);
  }

  static String encodeKey(String key) {
    List<String> parts = new ArrayList<>();
    for (String seg : key.split("/", -1)) {
      parts.add(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return String.join("/", parts);
  }

  static HttpResponse<String> put(int node, String bucket, String key, long seed, long size) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(fileUrl(node, bucket, key)))
        .PUT(Payloads.publisher(seed, size))
        .header("Content-Type", "application/octet-stream")
        .build();
    return c.http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> putBytes(int node, String bucket, String key, byte[] body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(fileUrl(node, bucket, key)))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return c.http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<InputStream> get(int node, String bucket, String key) throws Exception {
    return c.http.send(HttpRequest.newBuilder(URI.create(fileUrl(node, bucket, key))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return c.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 8L * MIB - 1, 8L * MIB, 8L * MIB + 1, 200L * MIB})
  void filesOfEverySizeComeBackIdenticalThroughAnotherNode(long size) throws Exception {
    String key = "sizes/file-" + size + ".bin";
    HttpResponse<String> put = put(1, "it", key, size, size);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    JsonNode rec = json(put.body());
    assertThat(rec.path("size").asLong()).isEqualTo(size);
    assertThat(rec.path("sha256").asText()).isEqualTo(Payloads.sha256(size, size));
    int expectedChunks = size <= 4096 ? 0 : (int) ((size + 8L * MIB - 1) / (8L * MIB)); // small files are inline
    assertThat(rec.path("chunks").asInt()).isEqualTo(expectedChunks);

    HttpResponse<InputStream> got = get(3, "it", key);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(size);
    assertThat(Payloads.sha256(got.body())).isEqualTo(Payloads.sha256(size, size));
  }

  @Test
  void everyChunkHasThreeReplicasOnDistinctNodesAndOnDisk() throws Exception {
    assertThat(put(2, "it", "replicas/twenty.bin", 20, 20L * MIB).statusCode()).isEqualTo(201);
    JsonNode meta = json(send(HttpRequest.newBuilder(URI.create(
        c.url(3) + "/api/v1/meta/it/replicas/twenty.bin"))).body());
    assertThat(meta.path("chunks")).hasSize(3);
    assertThat(meta.has("wrappedKey")).isFalse();
    for (JsonNode chunk : meta.path("chunks")) {
      Set<Integer> nodes = new HashSet<>();
      chunk.path("replicas").forEach(n -> nodes.add(n.asInt()));
      assertThat(nodes).containsExactlyInAnyOrder(1, 2, 3);
      String id = chunk.path("chunkId").asText();
      for (int n : nodes) {
        Path file = c.nodeDir(n).resolve("store").resolve("chunks").resolve(id.substring(0, 2)).resolve(id);
        assertThat(file).as("chunk %s on node %d", id, n).exists();
      }
    }
  }

  @Test
  void noChunkFileContainsThePlaintext() throws Exception {
    byte[] marker = "CAIRN-PLAINTEXT-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[3 * MIB];
    for (int i = 0; i < body.length; i++) {
      body[i] = marker[i % marker.length];
    }
    assertThat(putBytes(1, "it", "secret.txt", body).statusCode()).isEqualTo(201);
    byte[] probe = java.util.Arrays.copyOf(marker, 16);
    for (int n = 1; n <= 3; n++) {
      try (Stream<Path> files = Files.walk(c.nodeDir(n))) {
        for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".log")).toList()) {
          assertThat(indexOf(Files.readAllBytes(f), probe)).as("plaintext found in %s", f).isEqualTo(-1);
        }
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void listSearchOverwriteAndDelete() throws Exception {
    for (String k : List.of("docs/a.txt", "docs/b.txt", "docs/sub/c.txt", "pics/ünïcødé photo.jpg")) {
      assertThat(putBytes(1, "lists", k, k.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    }
    JsonNode all = json(send(HttpRequest.newBuilder(URI.create(c.url(2) + "/api/v1/files/lists"))).body());
    assertThat(all.path("files")).hasSize(4);
    JsonNode docs = json(send(HttpRequest.newBuilder(URI.create(c.url(3) + "/api/v1/files/lists?prefix=docs/"))).body());
    assertThat(docs.path("files")).hasSize(3);
    JsonNode found = json(send(HttpRequest.newBuilder(URI.create(c.url(3) + "/api/v1/files/lists?q=PHOTO"))).body());
    assertThat(found.path("files")).hasSize(1);
    assertThat(found.path("files").get(0).path("key").asText()).isEqualTo("pics/ünïcødé photo.jpg");
    JsonNode page = json(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/files/lists?limit=2"))).body());
    assertThat(page.path("files")).hasSize(2);
    String cursor = URLEncoder.encode(page.path("nextCursor").asText(), StandardCharsets.UTF_8);
    JsonNode rest = json(send(HttpRequest.newBuilder(URI.create(
        c.url(1) + "/api/v1/files/lists?limit=2&cursor=" + cursor))).body());
    assertThat(rest.path("files")).hasSize(2);

    assertThat(putBytes(2, "lists", "docs/a.txt", "new content".getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(201);
    assertThat(new String(get(3, "lists", "docs/a.txt").body().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("new content");

    assertThat(send(HttpRequest.newBuilder(URI.create(fileUrl(3, "lists", "docs/b.txt"))).DELETE()).statusCode())
        .isEqualTo(204);
    assertThat(get(1, "lists", "docs/b.txt").statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(URI.create(fileUrl(1, "lists", "docs/b.txt"))).DELETE()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void deletedChunksLeaveTheDisks() throws Exception {
    assertThat(put(1, "it", "gc/doomed.bin", 7, 9L * MIB).statusCode()).isEqualTo(201);
    JsonNode meta = json(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/meta/it/gc/doomed.bin"))).body());
    List<Path> files = new ArrayList<>();
    for (JsonNode chunk : meta.path("chunks")) {
      String id = chunk.path("chunkId").asText();
      for (JsonNode n : chunk.path("replicas")) {
        files.add(c.nodeDir(n.asInt()).resolve("store/chunks").resolve(id.substring(0, 2)).resolve(id));
      }
    }
    assertThat(files).hasSize(6).allMatch(Files::exists);
    assertThat(send(HttpRequest.newBuilder(URI.create(fileUrl(2, "it", "gc/doomed.bin"))).DELETE()).statusCode())
        .isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(files).noneMatch(Files::exists));
  }

  @Test
  void rangeReadsReturnOnlyTheRequestedBytes() throws Exception {
    int size = 17 * MIB + 5;
    assertThat(put(1, "it", "range.bin", 99, size).statusCode()).isEqualTo(201);
    byte[] all = Payloads.bytes(99, size);
    long from = 8L * MIB - 10;
    long to = 16L * MIB + 20;
    HttpResponse<byte[]> part = c.http.send(HttpRequest.newBuilder(URI.create(fileUrl(2, "it", "range.bin")))
        .header("Range", "bytes=" + from + "-" + to).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes " + from + "-" + to + "/" + size);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(all, (int) from, (int) to + 1));
    HttpResponse<byte[]> tail = c.http.send(HttpRequest.newBuilder(URI.create(fileUrl(3, "it", "range.bin")))
        .header("Range", "bytes=-7").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(all, size - 7, size));
    HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create(fileUrl(3, "it", "range.bin")))
        .header("Range", "bytes=" + size + "-"));
    assertThat(bad.statusCode()).isEqualTo(416);
  }

  @Test
  void malformedRequestsGetClearErrorsAndChangeNothing() throws Exception {
    HttpResponse<String> badBucket = putBytes(1, "Bad_Bucket!", "k", new byte[] {1});
    assertThat(badBucket.statusCode()).isEqualTo(400);
    assertThat(json(badBucket.body()).path("error").path("message").asText()).contains("bucket");
    HttpResponse<String> badLimit = send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/files/it?limit=0")));
    assertThat(badLimit.statusCode()).isEqualTo(400);
    HttpResponse<String> dotdot = send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/files/it/a/%2E%2E/b"))
        .PUT(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(dotdot.statusCode()).isEqualTo(400);
    assertThat(get(2, "it", "a/../b").statusCode()).isIn(400, 404);
    assertThat(get(1, "it", "never-uploaded").statusCode()).isEqualTo(404);
  }

  @Test
  void deleteDropsTheFileFromTheCacheOfEveryNode() throws Exception {
    assertThat(put(1, "cache", "hot.bin", 5, 6L * MIB).statusCode()).isEqualTo(201);
    for (int n = 1; n <= 3; n++) {
      for (int i = 0; i < 2; i++) {
        assertThat(Payloads.sha256(get(n, "cache", "hot.bin").body())).isEqualTo(Payloads.sha256(5, 6L * MIB));
      }
    }
    double[] before = new double[4];
    for (int n = 1; n <= 3; n++) {
      before[n] = FaultIT.metric(c, n, "cache_size");
      assertThat(before[n]).as("node %d caches the file", n).isGreaterThanOrEqualTo(6.0 * MIB);
      assertThat(FaultIT.metric(c, n, "cache_hits_total")).as("node %d hit", n).isPositive();
    }
    assertThat(send(HttpRequest.newBuilder(URI.create(fileUrl(2, "cache", "hot.bin"))).DELETE()).statusCode())
        .isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (int n = 1; n <= 3; n++) {
        assertThat(FaultIT.metric(c, n, "cache_size")).as("node %d", n).isLessThanOrEqualTo(before[n] - 6.0 * MIB);
      }
    });
    assertThat(get(3, "cache", "hot.bin").statusCode()).isEqualTo(404);
  }

  @Test
  void smallFilesLiveInTheirMetadataRecord() throws Exception {
    byte[] small = "a small note".getBytes(StandardCharsets.UTF_8);
    assertThat(putBytes(2, "it", "notes/small.txt", small).statusCode()).isEqualTo(201);
    JsonNode meta = json(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/meta/it/notes/small.txt"))).body());
    assertThat(meta.path("chunks")).isEmpty();
    assertThat(get(3, "it", "notes/small.txt").body().readAllBytes()).isEqualTo(small);
    HttpResponse<byte[]> part = c.http.send(HttpRequest.newBuilder(URI.create(fileUrl(1, "it", "notes/small.txt")))
        .header("Range", "bytes=2-6").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("small");
  }

  @Test
  void clusterEndpointShowsLeaderTermAndNodes() throws Exception {
    JsonNode cl = json(send(HttpRequest.newBuilder(URI.create(c.url(2) + "/api/v1/cluster"))).body());
    assertThat(cl.path("leader").asInt()).isBetween(1, 3);
    assertThat(cl.path("term").asLong()).isPositive();
    assertThat(cl.path("nodes")).hasSize(3);
    for (JsonNode n : cl.path("nodes")) {
      assertThat(n.path("state").asText()).isEqualTo("ALIVE");
    }
    assertThat(send(HttpRequest.newBuilder(URI.create(c.url(3) + "/healthz"))).statusCode()).isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(URI.create(c.url(3) + "/readyz"))).statusCode()).isEqualTo(200);
  }
}
