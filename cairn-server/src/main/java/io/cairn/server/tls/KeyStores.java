package io.cairn.server.tls;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link TlsConfig} into an in-memory {@link KeyStore} for Jetty, with the JDK alone: PEM
 * certificate chains, unencrypted PKCS#8 keys ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519) and
 * PKCS#12 files. Errors name the file and what to do, never key material.
 */
public final class KeyStores {
  /** Password of the in-memory store built from PEM files; it never leaves this process. */
  static final char[] MEMORY_PASSWORD = "cairn-in-memory".toCharArray();
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private KeyStores() {}

  /** The keystore and the password of its key entry. */
  public record Loaded(KeyStore store, char[] password, X509Certificate leaf) {}

  public static Loaded load(TlsConfig tls) {
    try {
      if (TlsConfig.isPkcs12(tls.certFile())) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] pw = tls.password().toCharArray();
        try (InputStream in = Files.newInputStream(tls.certFile())) {
          ks.load(in, pw);
        }
        String alias = ks.aliases().hasMoreElements() ? firstKeyAlias(ks) : null;
        if (alias == null) {
          throw bad(tls.certFile(), "holds no private key entry");
        }
        return new Loaded(ks, pw, (X509Certificate) ks.getCertificate(alias));
      }
      List<Certificate> chain = certificates(tls.certFile());
      PrivateKey key = privateKey(tls.keyFile());
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("cairn", key, MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
      return new Loaded(ks, MEMORY_PASSWORD, (X509Certificate) chain.get(0));
    } catch (IOException e) {
      if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
        throw bad(tls.certFile(), "cannot be opened with the given password (--tls-password)");
      }
      throw bad(tls.certFile(), "cannot be read: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw bad(tls.certFile(), "is not a usable certificate/key: " + e.getMessage());
    }
  }

  private static String firstKeyAlias(KeyStore ks) throws GeneralSecurityException {
    for (String a : java.util.Collections.list(ks.aliases())) {
      if (ks.isKeyEntry(a)) {
        return a;
      }
    }
    return null;
  }

  static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(file);
    List<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(bytes)).stream().toList();
    if (certs.isEmpty()) {
      throw bad(file, "holds no certificate (expected PEM 'BEGIN CERTIFICATE' blocks, leaf first)");
    }
    return List.copyOf(certs);
  }

  static PrivateKey privateKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
          try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          } catch (GeneralSecurityException e) {
            // try the next algorithm
          }
        }
        throw bad(file, "holds a PKCS#8 key of an unsupported algorithm (use RSA, EC or Ed25519)");
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw bad(file, "holds a '" + type + "'; convert it to unencrypted PKCS#8 with: "
            + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
      }
    }
    throw bad(file, "holds no PEM 'BEGIN PRIVATE KEY' block");
  }

  private static CairnException bad(Path file, String what) {
    return new CairnException(ErrorCode.INVALID_ARGUMENT, "TLS file " + file + " " + what);
  }
}
