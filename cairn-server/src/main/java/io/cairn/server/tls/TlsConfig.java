package io.cairn.server.tls;

import java.nio.file.Path;

/**
 * HTTPS for a public port. Either a PEM certificate chain plus a PEM (PKCS#8) private key, or one
 * PKCS#12 keystore ({@code .p12}/{@code .pfx}) holding both, with its password.
 *
 * @param certFile PEM certificate chain (leaf first) or a PKCS#12 file
 * @param keyFile PEM private key; required with a PEM chain, must be null with PKCS#12
 * @param password PKCS#12 password (may be empty); ignored for PEM
 */
public record TlsConfig(Path certFile, Path keyFile, String password) {
  public TlsConfig {
    if (certFile == null) {
      throw new IllegalArgumentException("a TLS certificate file is required");
    }
    if (isPkcs12(certFile) && keyFile != null) {
      throw new IllegalArgumentException("--tls-key is only for PEM certificates; " + certFile
          + " is a PKCS#12 file that holds the key itself");
    }
    if (!isPkcs12(certFile) && keyFile == null) {
      throw new IllegalArgumentException("--tls-cert " + certFile + " is PEM, so --tls-key is required "
          + "(or give a .p12/.pfx keystore)");
    }
    password = password == null ? "" : password;
  }

  /** The config the flags describe, or null when {@code certFile} is null (plain HTTP). */
  public static TlsConfig fromFlags(Path certFile, Path keyFile, String password) {
    return certFile == null ? null : new TlsConfig(certFile, keyFile, password);
  }

  static boolean isPkcs12(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".p12") || n.endsWith(".pfx");
  }

  @Override
  public String toString() {
    return "TlsConfig[cert=" + certFile + ", key=" + keyFile + "]"; // never the password
  }
}
