package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.chunk.Keyring;
import io.cairn.common.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data security on three real nodes: no file under any data directory (chunks, RocksDB tables and WAL,
 * Raft log) holds uploaded plaintext, inline small files included; after {@code key rotate}, dropping
 * the old key and restarting every node, every file reads back byte-identical while no chunk file was
 * touched; and path traversal attempts through every public route change nothing on disk.
 */
class DataSecurityIT {
  static final int SMALL_FILES = 200;
  static final byte[] MARKER = "CAIRN-PLAINTEXT-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
  static TestCluster c;

  @BeforeAll
  static void up() {
    c = TestCluster.start(3, "384m", "--chunk-size", "1MiB");
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  static byte[] content(int i, int size) {
    byte[] b = new byte[size];
    byte[] tag = ("#" + i + "#").getBytes(StandardCharsets.US_ASCII);
    for (int j = 0; j < size; j++) {
      b[j] = j % 64 < MARKER.length ? MARKER[j % 64] : tag[j % tag.length];
    }
    return b;
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return c.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String url(int node, String key) {
    return c.url(node) + "/api/v1/files/rot/" + key;
  }

  @Test
  void plaintextNeverOnDiskAndRotationKeepsEveryFileReadable() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < SMALL_FILES; i++) {
      files.put("small-" + i + ".txt", content(i, 300 + i * 10)); // inline: under 4 KiB
    }
    files.put("big.bin", content(-1, 3 * (1 << 20) + 17)); // four chunks
    files.put("medium.bin", content(-2, 200_000));
    for (var e : files.entrySet()) {
      HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(url(1 + e.getKey().length() % 3, e.getKey())))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(e.getValue())));
      assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    }

    assertNoPlaintextOnDisk();
    Map<Path, String> chunksBefore = chunkFiles();
    assertThat(chunksBefore).hasSizeGreaterThanOrEqualTo(3 * 5);

    // 1. A new key, on every node (here: one shared key file), nodes restarted one by one.
    Path keyFile = c.dir.resolve("cluster.key");
    Keyring.load(keyFile).withNewKey().save(keyFile);
    for (int n = 1; n <= 3; n++) {
      c.kill(n);
      c.restart(n);
      c.awaitReady();
    }
    // Files wrapped under key 1 still read while the rotation has not happened.
    assertIdentical(files, 2);

    // 2. Rotate through the API of one node; every node applies it.
    JsonNode r = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/keys/rotate"))
        .POST(HttpRequest.BodyPublishers.noBody())).body());
    System.out.println("rotation: " + r);
    assertThat(r.path("currentKeyId").asInt()).isEqualTo(2);
    assertThat(r.path("rewrapped").asLong()).isEqualTo(files.size());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode s = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(c.url(3) + "/api/v1/keys"))).body());
      assertThat(s.path("filesByKeyId").toString()).isEqualTo("{\"2\":" + files.size() + "}");
    });

    // 3. Drop key 1 and restart everything: only key 2 exists now.
    Keyring.load(keyFile).without(1).save(keyFile);
    assertThat(Keyring.load(keyFile).ids()).containsExactly(2);
    for (int n = 1; n <= 3; n++) {
      c.kill(n);
    }
    for (int n = 1; n <= 3; n++) {
      c.restart(n);
    }
    c.awaitReady();
    for (int n = 1; n <= 3; n++) {
      assertIdentical(files, n);
    }
    assertThat(chunkFiles()).as("chunk files (bytes and mtime) untouched by rotation").isEqualTo(chunksBefore);
    assertNoPlaintextOnDisk();
  }

  @Test
  void pathTraversalAttemptsChangeNothingOnDisk() throws Exception {
    Path outside = c.dir.getParent();
    Map<Path, Long> before = filesOutsideMetadata();
    String bucketsBefore = new String(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/buckets"))).body());
    String[] rawPaths = {
        "/api/v1/files/trav/..%2F..%2F..%2Fescaped.txt", "/api/v1/files/trav/%2e%2e/%2e%2e/escaped.txt",
        "/api/v1/files/trav/a%5C..%5C..%5Cescaped.txt", "/api/v1/files/trav//tmp/escaped.txt",
        "/api/v1/files/..%2Fescaped/x.txt", "/api/v1/files/trav/a%00.txt", "/api/v1/files/trav/..",
        "/api/v1/files/%2e%2e/escaped.txt"};
    for (String p : rawPaths) {
      HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(c.url(2) + p))
          .PUT(HttpRequest.BodyPublishers.ofString("escaped")));
      assertThat(r.statusCode()).as(p + ": " + new String(r.body())).isBetween(400, 499);
    }
    String boundary = "XyZ";
    for (String[] form : new String[][] {{"../../escaped", "a.txt"}, {"trav", ".."}, {"trav", "../"},
        {"..", "escaped.txt"}}) {
      String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n" + form[0]
          + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + form[1]
          + "\"\r\n\r\nescaped\r\n--" + boundary + "--\r\n";
      HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(c.url(3) + "/upload"))
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(r.statusCode()).as(String.join(" ", form) + ": " + new String(r.body())).isBetween(400, 499);
    }
    assertThat(new String(send(HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/buckets"))).body()))
        .isEqualTo(bucketsBefore);
    assertThat(filesOutsideMetadata()).isEqualTo(before);
    try (Stream<Path> all = Files.walk(outside, 2)) {
      assertThat(all.filter(p -> p.getFileName().toString().startsWith("escaped"))).isEmpty();
    }
    assertThat(Path.of("/tmp/escaped.txt")).doesNotExist();
  }

  /** Every file of every node except the metadata store (which Raft may touch on its own) and logs. */
  static Map<Path, Long> filesOutsideMetadata() throws Exception {
    Map<Path, Long> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(c.dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        Path rel = c.dir.relativize(f);
        if (rel.getNameCount() > 1 && rel.getName(1).toString().equals("meta") || f.toString().endsWith(".log")) {
          continue;
        }
        out.put(rel, Files.size(f));
      }
    }
    return out;
  }

  static void assertIdentical(Map<String, byte[]> files, int node) throws Exception {
    for (var e : files.entrySet()) {
      HttpResponse<byte[]> got = send(HttpRequest.newBuilder(URI.create(url(node, e.getKey()))));
      assertThat(got.statusCode()).as(e.getKey() + " via node " + node + ": " + new String(got.body()))
          .isEqualTo(200);
      assertThat(got.body()).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** Every regular file of every node (the process log aside) scanned for the marker. */
  static void assertNoPlaintextOnDisk() throws Exception {
    byte[] probe = java.util.Arrays.copyOf(MARKER, 16);
    int scanned = 0;
    for (int n = 1; n <= 3; n++) {
      try (Stream<Path> all = Files.walk(c.nodeDir(n))) {
        for (Path f : all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("node.log"))
            .toList()) {
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(f);
          } catch (java.nio.file.NoSuchFileException gone) {
            continue; // RocksDB or Raft replaced it meanwhile
          }
          scanned++;
          assertThat(ClusterIT.indexOf(bytes, probe)).as("plaintext found in %s", f).isEqualTo(-1);
        }
      }
    }
    assertThat(scanned).isGreaterThan(20);
    long metaFiles;
    try (Stream<Path> all = Files.walk(c.nodeDir(1).resolve("meta"))) {
      metaFiles = all.filter(Files::isRegularFile).count();
    }
    assertThat(metaFiles).as("RocksDB and Raft log files were scanned").isGreaterThan(3);
  }

  /** Every chunk file of every node: path to SHA-256 and modification time. */
  static Map<Path, String> chunkFiles() throws Exception {
    Map<Path, String> out = new TreeMap<>();
    for (int n = 1; n <= 3; n++) {
      try (Stream<Path> all = Files.walk(c.nodeDir(n).resolve("store").resolve("chunks"))) {
        for (Path f : all.filter(Files::isRegularFile).toList()) {
          byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          out.put(f, HexFormat.of().formatHex(h) + "@" + Files.getLastModifiedTime(f).toMillis());
        }
      }
    }
    return out;
  }
}
