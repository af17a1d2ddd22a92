package io.cairn.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.server.files.InMemoryFileService;
import io.cairn.server.gateway.GatewayConfig;
import io.cairn.server.gateway.HttpGateway;
import io.cairn.server.gateway.Readiness;
import io.cairn.server.s3.S3Config;
import io.cairn.server.s3.S3Credentials;
import io.cairn.server.s3.S3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the public ports with a certificate from {@code cairn cert}, checked with real clients. */
class TlsTest {
  static final Readiness READY = new Readiness() {
    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public String detail() {
      return "ok";
    }
  };

  @TempDir
  Path dir;
  Path cert;
  Path key;

  @BeforeEach
  void makeCertificate() throws Exception {
    Path[] files = CertCommand.generate(dir.resolve("tls"), List.of("localhost", "127.0.0.1"), 2);
    cert = files[0];
    key = files[1];
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  HttpClient trusting(TlsConfig tls) {
    return HttpClient.newBuilder().sslContext(Trust.trusting(tls)).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void theGatewayServesHttpsAndNothingOverPlainHttp() throws Exception {
    TlsConfig tls = new TlsConfig(cert, key, null);
    HttpGateway gw = HttpGateway.start(GatewayConfig.loopback(dir.resolve("gw")).withTls(tls),
        new InMemoryFileService(), READY);
    try (HttpClient client = trusting(tls); HttpClient plain = HttpClient.newHttpClient()) {
      String https = "https://127.0.0.1:" + gw.port();
      long t0 = System.nanoTime();
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(https + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      long handshakeMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("TLS handshake + first request: " + handshakeMs + " ms, protocol "
          + health.sslSession().map(s -> s.getProtocol() + " " + s.getCipherSuite()).orElse("?"));
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.sslSession()).isPresent();

      HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(https + "/api/v1/files/b/secret.txt"))
          .PUT(HttpRequest.BodyPublishers.ofString("over tls")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(https + "/api/v1/files/b/secret.txt"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.body()).isEqualTo("over tls");

      // A client that does not trust the certificate refuses the connection.
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(https + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
      // Plain HTTP to the TLS port gets no HTTP answer at all.
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gw.port() + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

      curl(gw.port());
      cli(https);
    } finally {
      gw.stop();
    }
  }

  /** The cairn command line trusts the certificate with --cacert, and refuses the server without it. */
  void cli(String https) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    io.cairn.server.cli.ClientIo streams = new io.cairn.server.cli.ClientIo(java.io.InputStream.nullInputStream(),
        new java.io.PrintStream(out, true), new java.io.PrintStream(err, true), false);
    int ok = io.cairn.server.cli.ClientCommands.commandLine(streams).execute("stat", "b/secret.txt", "--endpoint", https,
        "--cacert", cert.toString(), "--retries", "0");
    assertThat(ok).as(err.toString()).isZero();
    assertThat(out.toString()).contains("secret.txt");
    int refused = io.cairn.server.cli.ClientCommands.commandLine(streams).execute("stat", "b/secret.txt", "--endpoint",
        https, "--retries", "0");
    assertThat(refused).isNotZero();
  }

  /** The same with curl, when it is installed: --cacert works, plain http:// to the port does not. */
  void curl(int port) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/curl"))) {
      return;
    }
    assertThat(run("/usr/bin/curl", "-sS", "--cacert", cert.toString(), "-o", "/dev/null", "-w", "%{http_code}",
        "https://127.0.0.1:" + port + "/healthz")).isEqualTo("200");
    assertThat(run("/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
        "http://127.0.0.1:" + port + "/healthz")).isNotEqualTo("200");
    assertThat(run("/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
        "https://127.0.0.1:" + port + "/healthz")).as("untrusted certificate").isEqualTo("000");
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void theS3PortServesHttpsFromAPkcs12Keystore() throws Exception {
    // Re-pack the PEM pair as a password-protected PKCS#12 file, the other accepted format.
    KeyStores.Loaded pem = KeyStores.load(new TlsConfig(cert, key, null));
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    p12.load(null, null);
    p12.setKeyEntry("cairn", pem.store().getKey("cairn", pem.password()), "s3cret".toCharArray(),
        pem.store().getCertificateChain("cairn"));
    Path p12File = dir.resolve("tls/server.p12");
    try (var out = Files.newOutputStream(p12File)) {
      p12.store(out, "s3cret".toCharArray());
    }
    TlsConfig tls = new TlsConfig(p12File, null, "s3cret");
    S3Config cfg = new S3Config(0, "AKIDEXAMPLE", "secret", null, null, null, tls);
    S3Server s3 = S3Server.start(cfg, "127.0.0.1", new InMemoryFileService(),
        S3Credentials.single("AKIDEXAMPLE", "secret"), null, () -> 0);
    try (HttpClient client = trusting(tls)) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s3.port() + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401); // TLS works; an unsigned request is still refused
      assertThat(r.body()).contains("<Error>");
    } finally {
      s3.stop();
    }
    assertThatThrownBy(() -> KeyStores.load(new TlsConfig(p12File, null, "wrong")))
        .isInstanceOf(CairnException.class).hasMessageContaining("password");
  }

  @Test
  void badTlsFilesFailAtStartupWithTheReason() throws Exception {
    Path rsaStyle = Files.writeString(dir.resolve("old.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> KeyStores.load(new TlsConfig(cert, rsaStyle, null)))
        .hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(() -> new TlsConfig(cert, null, null)).hasMessageContaining("--tls-key");
    assertThatThrownBy(() -> HttpGateway.start(GatewayConfig.loopback(dir.resolve("gw")).withTls(
        new TlsConfig(key, key, null)), new InMemoryFileService(), READY)).hasMessageContaining("certificate");
  }
}
