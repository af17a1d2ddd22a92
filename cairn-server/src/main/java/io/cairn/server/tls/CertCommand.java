package io.cairn.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn cert}: a self-signed certificate for trying HTTPS, as {@code cert.pem} and {@code key.pem}
 * (owner-only). It uses the JDK's own {@code keytool}, so no extra library is needed; the key is
 * ECDSA P-256. For production use a certificate from your CA instead.
 */
@Command(name = "cert", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
    description = "Generate a self-signed TLS certificate for testing (cert.pem + key.pem).")
public final class CertCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = ".", description = "Directory for cert.pem and key.pem (default: .).")
  Path out;

  @Option(names = "--host", split = ",", defaultValue = "localhost,127.0.0.1",
      description = "Names and IP addresses the certificate is for (default ${DEFAULT-VALUE}).")
  List<String> hosts;

  @Option(names = "--days", defaultValue = "365", description = "Validity in days (default ${DEFAULT-VALUE}).")
  int days;

  @Override
  public Integer call() throws Exception {
    Path[] files = generate(out, hosts, days);
    X509Certificate c = (X509Certificate) KeyStores.certificates(files[0]).get(0);
    System.out.println("wrote " + files[0] + " and " + files[1] + " (owner-only) for " + hosts + ", valid until "
        + c.getNotAfter().toInstant());
    System.out.println("serve HTTPS:  cairn server ... --tls-cert " + files[0] + " --tls-key " + files[1]);
    System.out.println("trust it:     curl --cacert " + files[0] + " https://127.0.0.1:8080/healthz");
    return 0;
  }

  /** Writes {@code dir/cert.pem} and {@code dir/key.pem}; returns them in that order. */
  public static Path[] generate(Path dir, List<String> hosts, int days) throws IOException, GeneralSecurityException {
    if (hosts.isEmpty() || days < 1) {
      throw new IllegalArgumentException("need at least one --host and --days >= 1");
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempDirectory(dir, ".cairn-cert-");
    Path store = tmp.resolve("tmp.p12");
    byte[] pwBytes = new byte[18];
    new SecureRandom().nextBytes(pwBytes);
    String pw = HexFormat.of().formatHex(pwBytes);
    try {
      List<String> cmd = new ArrayList<>(List.of(keytool(), "-genkeypair", "-noprompt", "-alias", "cairn",
          "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
          "-dname", "CN=" + hosts.get(0) + ", O=Cairn self-signed", "-ext", "SAN=" + san(hosts),
          "-validity", Integer.toString(days), "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass:env", "CAIRN_CERT_PW", "-keypass:env", "CAIRN_CERT_PW"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("CAIRN_CERT_PW", pw);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + output.strip());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(store)) {
        ks.load(in, pw.toCharArray());
      }
      PrivateKey key = (PrivateKey) ks.getKey("cairn", pw.toCharArray());
      X509Certificate cert = (X509Certificate) ks.getCertificate("cairn");
      Path certFile = dir.resolve("cert.pem");
      Path keyFile = dir.resolve("key.pem");
      Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      return new Path[] {certFile, keyFile};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(tmp);
    }
  }

  static String san(List<String> hosts) {
    List<String> parts = new ArrayList<>();
    for (String h : hosts) {
      boolean ip = h.matches("[0-9.]+") || h.contains(":");
      parts.add((ip ? "ip:" : "dns:") + h.trim());
    }
    return String.join(",", parts);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static String keytool() {
    Path k = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(k)) {
      throw new IllegalStateException("keytool not found at " + k + "; run cairn with a full JDK or JRE");
    }
    return k.toString();
  }
}
