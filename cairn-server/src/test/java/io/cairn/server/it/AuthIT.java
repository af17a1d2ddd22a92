package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import io.cairn.server.auth.LoginForm;
import io.cairn.server.cli.ClientCommands;
import io.cairn.server.cli.ClientIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Access control on a 3-node cluster with authentication required: anonymous and wrong credentials are
 * refused everywhere, users cannot reach each other's buckets by any route, revocation is immediate on
 * every node, session form posts need the CSRF token, and the admin sees everything.
 */
class AuthIT {
  static TestCluster tc;
  static String admin;
  static String alice;
  static String bob;

  @BeforeAll
  static void start() throws Exception {
    tc = TestCluster.start(3, "384m", "--auth", "required");
    String password = adminPasswordFromTheWinningNode();
    admin = basic("admin", password);
    assertThat(send("POST", 1, "/api/v1/users", admin, "{\"name\":\"alice\",\"password\":\"alice-secret-1\"}")
        .statusCode()).isEqualTo(201);
    assertThat(send("POST", 2, "/api/v1/users", admin, "{\"name\":\"bob\",\"password\":\"bob-secret-12\"}")
        .statusCode()).isEqualTo(201);
    alice = basic("alice", "alice-secret-1");
    bob = basic("bob", "bob-secret-12");
    assertThat(put(1, "/api/v1/files/bob/private.txt", bob, "bob's data").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (tc != null) {
      tc.close();
    }
  }

  /** One node wins the bootstrap and writes the password, mode 0600, into its data dir. */
  static String adminPasswordFromTheWinningNode() {
    Path[] found = new Path[1];
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (int n = 1; n <= 3; n++) {
        Path f = tc.nodeDir(n).resolve("admin-credentials");
        if (Files.exists(f)) {
          found[0] = f;
          return true;
        }
      }
      return false;
    });
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(found[0]))).isEqualTo("rw-------");
      for (String line : Files.readAllLines(found[0])) {
        if (line.startsWith("CAIRN_ADMIN_PASSWORD=")) {
          return line.substring(line.indexOf('=') + 1);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no password in " + found[0]);
  }

  @Test
  void anonymousAndWrongCredentialsGet401OnEveryKindOfRoute() {
    assertThat(send("GET", 1, "/api/v1/buckets", null, null).statusCode()).isEqualTo(401);
    assertThat(put(2, "/api/v1/files/anon/x.txt", null, "x").statusCode()).isEqualTo(401);
    assertThat(send("GET", 3, "/files?username=bob", null, null).statusCode()).isEqualTo(401);
    String wrong = basic("alice", "not-her-password");
    assertThat(send("GET", 1, "/api/v1/buckets", wrong, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", 1, "/healthz", wrong, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", 2, "/download?username=bob&filename=private.txt", "Bearer cairn_nope_nope", null)
        .statusCode()).isEqualTo(401);
    assertThat(seedUpload(3, wrong, null, "bob", "evil.txt").statusCode()).isEqualTo(401);
    try (S3Client s3 = s3(1, "CKNOSUCHKEY000000000", "wrong-secret")) {
      assertThat(statusOf(s3::listBuckets)).isEqualTo(401);
    }
    // Public probes stay open without credentials.
    assertThat(send("GET", 1, "/readyz", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aliceCannotTouchBobsFilesThroughAnyRoute() throws Exception {
    // REST
    assertThat(send("GET", 1, "/api/v1/files/bob", alice, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", 2, "/api/v1/files/bob/private.txt", alice, null).statusCode()).isEqualTo(403);
    assertThat(put(3, "/api/v1/files/bob/private.txt", alice, "overwritten").statusCode()).isEqualTo(403);
    assertThat(send("DELETE", 1, "/api/v1/files/bob/private.txt", alice, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", 1, "/api/v1/buckets", alice, null).body()).doesNotContain("bob");
    // Seed form routes: the username must be her own.
    assertThat(send("GET", 2, "/files?username=bob", alice, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", 2, "/download?username=bob&filename=private.txt", alice, null).statusCode())
        .isEqualTo(403);
    assertThat(form(3, "/delete", alice, "username=bob&filename=private.txt").statusCode()).isEqualTo(403);
    assertThat(seedUpload(1, alice, null, "bob", "private.txt").statusCode()).isEqualTo(403);
    // S3, with her own access key
    JsonNode key = Json.MAPPER.readTree(send("POST", 2, "/api/v1/tokens", alice, "{\"type\":\"s3\"}").body());
    try (S3Client s3 = s3(3, key.path("accessKeyId").asText(), key.path("secretAccessKey").asText())) {
      assertThat(statusOf(() -> s3.getObjectAsBytes(b -> b.bucket("bob").key("private.txt")))).isEqualTo(403);
      assertThat(statusOf(() -> s3.putObject(b -> b.bucket("bob").key("private.txt"),
          RequestBody.fromString("overwritten")))).isEqualTo(403);
      assertThat(statusOf(() -> s3.deleteObject(b -> b.bucket("bob").key("private.txt")))).isEqualTo(403);
      assertThat(statusOf(() -> s3.listObjectsV2(b -> b.bucket("bob")))).isEqualTo(403);
      assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals("bob"));
      s3.createBucket(b -> b.bucket("alice-s3"));
      s3.putObject(b -> b.bucket("alice-s3").key("mine.txt"), RequestBody.fromString("hers"));
    }
    // CLI
    assertThat(cli(alice, "get", "bob/private.txt", "-")).isEqualTo(8);
    assertThat(cli(alice, "rm", "bob/private.txt")).isEqualTo(8);
    // Nothing changed.
    HttpResponse<String> still = send("GET", 1, "/api/v1/files/bob/private.txt", bob, null);
    assertThat(still.statusCode()).isEqualTo(200);
    assertThat(still.body()).isEqualTo("bob's data");
  }

  @Test
  void revokedTokenStopsWorkingAtOnceOnEveryNode() throws Exception {
    JsonNode t = Json.MAPPER.readTree(send("POST", 1, "/api/v1/tokens", alice, "{\"label\":\"laptop\"}").body());
    String bearer = "Bearer " + t.path("token").asText();
    for (int n = 1; n <= 3; n++) {
      assertThat(put(n, "/api/v1/files/alice/t" + n, bearer, "x").statusCode()).isEqualTo(201);
    }
    assertThat(send("DELETE", 1, "/api/v1/tokens/" + t.path("id").asText(), alice, null).statusCode())
        .isEqualTo(204);
    // No waiting: the very next request on each other node is refused.
    assertThat(send("GET", 2, "/api/v1/files/alice/t1", bearer, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", 3, "/api/v1/files/alice/t1", bearer, null).statusCode()).isEqualTo(401);
  }

  @Test
  void sessionFormPostNeedsTheCsrfToken() throws Exception {
    String cookie = LoginForm.sessionCookie(tc.http, tc.url(1), "alice", "alice-secret-1");
    put(1, "/api/v1/files/alice/keep.txt", alice, "keep");

    HttpResponse<String> noCsrf = tc.http.send(HttpRequest.newBuilder(URI.create(tc.url(2) + "/delete"))
        .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=alice&filename=keep.txt")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(send("GET", 1, "/api/v1/files/alice/keep.txt", alice, null).statusCode()).isEqualTo(200);

    String csrf = Json.MAPPER.readTree(tc.http.send(HttpRequest.newBuilder(URI.create(tc.url(3) + "/api/v1/whoami"))
        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body()).path("csrfToken").asText();
    HttpResponse<String> withCsrf = tc.http.send(HttpRequest.newBuilder(URI.create(tc.url(2) + "/delete"))
        .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=alice&filename=keep.txt&csrf=" + csrf)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(withCsrf.statusCode()).isEqualTo(200);
  }

  @Test
  void adminSeesEveryBucketAndManagesUsers() throws Exception {
    put(2, "/api/v1/files/alice/a.txt", alice, "a");
    JsonNode buckets = Json.MAPPER.readTree(send("GET", 3, "/api/v1/buckets", admin, null).body());
    assertThat(buckets.toString()).contains("alice").contains("bob");
    assertThat(send("GET", 1, "/api/v1/files/bob/private.txt", admin, null).body()).isEqualTo("bob's data");
    assertThat(send("GET", 1, "/api/v1/users", alice, null).statusCode()).isEqualTo(403);
    assertThat(cli(admin, "user", "ls")).isZero();
  }

  // ---- helpers ----

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> send(String method, int node, String path, String auth, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tc.url(node) + path)).timeout(Duration.ofSeconds(30));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      return tc.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> put(int node, String path, String auth, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tc.url(node) + path))
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    try {
      return tc.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> form(int node, String path, String auth, String body) throws Exception {
    return tc.http.send(HttpRequest.newBuilder(URI.create(tc.url(node) + path)).header("Authorization", auth)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> seedUpload(int node, String auth, String cookie, String username, String file) {
    String boundary = "cairnboundary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n" + username
        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file
        + "\"\r\nContent-Type: text/plain\r\n\r\nevil\r\n--" + boundary + "--\r\n";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tc.url(node) + "/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    try {
      return tc.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static S3Client s3(int node, String access, String secret) {
    return S3Clients.of(tc.s3Url(node), access, secret);
  }

  static int statusOf(Runnable r) {
    return S3Clients.statusOf(r);
  }

  /** Runs the cairn CLI in-process against node 1 with an Authorization taken from a Basic header. */
  static int cli(String basicAuth, String... args) {
    String[] userPass = new String(Base64.getDecoder().decode(basicAuth.substring(6)), StandardCharsets.UTF_8)
        .split(":", 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientIo io = new ClientIo(new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(out, true), false);
    String[] all = new String[args.length + 6];
    all[0] = args[0];
    int i = 1;
    int sub = args[0].equals("user") || args[0].equals("token") ? 2 : 1;
    if (sub == 2) {
      all[1] = args[1];
      i = 2;
    }
    all[i] = "--endpoint";
    all[i + 1] = tc.url(1);
    all[i + 2] = "--user";
    all[i + 3] = userPass[0];
    all[i + 4] = "--password";
    all[i + 5] = userPass[1];
    System.arraycopy(args, sub, all, i + 6, args.length - sub);
    return ClientCommands.commandLine(io).execute(all);
  }

}
