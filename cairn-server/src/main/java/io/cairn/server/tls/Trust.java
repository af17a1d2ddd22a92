package io.cairn.server.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Client side: an SSLContext that trusts exactly the certificate(s) of a {@link TlsConfig}. */
public final class Trust {
  private Trust() {}

  /** Trusts the certificates in a PEM file (no key needed): what a client holds. */
  public static SSLContext trustingPem(java.nio.file.Path pem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : KeyStores.certificates(pem)) {
        trust.setCertificateEntry("c" + i++, c);
      }
      return context(trust);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext context(KeyStore trust) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public static SSLContext trusting(TlsConfig tls) {
    try {
      KeyStores.Loaded loaded = KeyStores.load(tls);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (String alias : java.util.Collections.list(loaded.store().aliases())) {
        Certificate[] chain = loaded.store().getCertificateChain(alias);
        if (chain != null) {
          for (Certificate c : chain) {
            trust.setCertificateEntry("c" + i++, c);
          }
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust store from " + tls.certFile() + ": " + e, e);
    }
  }
}
