package io.cairn.server.tls;

import io.javalin.config.JavalinConfig;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listening connector of a public port, plain HTTP or HTTPS, with the limits that protect it
 * from slow or oversized clients: an idle timeout (a connection that sends or reads nothing for that
 * long is closed, which also bounds a client trickling a body or headers) and a cap on the request line
 * plus headers (larger gets 431). Bodies are bounded by each route.
 */
public final class Connectors {
  private static final Logger log = LoggerFactory.getLogger(Connectors.class);
  /** Silence after which a connection is closed; long enough for a slow but live upload. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Request line plus headers; S3 clients send a few KiB of headers, 16 KiB leaves room. */
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  private Connectors() {}

  /** Makes {@code c} listen on {@code host:port} (0 = any free port), over TLS when {@code tls} is set. */
  public static void install(JavalinConfig c, String host, int port, TlsConfig tls) {
    KeyStores.Loaded keys = tls == null ? null : KeyStores.load(tls); // fail at startup, not at first request
    c.jetty.modifyHttpConfiguration(h -> {
      h.setRequestHeaderSize(MAX_HEADER_BYTES);
      h.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      h.setSendServerVersion(false);
    });
    c.jetty.addConnector((server, http) -> {
      ServerConnector connector;
      if (keys == null) {
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
      } else {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys.store());
        ssl.setKeyStorePassword(new String(keys.password()));
        ssl.setKeyManagerPassword(new String(keys.password()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Clients often connect by IP or a name not in the certificate; hostname checking is theirs.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(http));
        log.info("HTTPS on {}:{} with certificate '{}' (valid until {})", host, port == 0 ? "(any)" : port,
            keys.leaf().getSubjectX500Principal().getName(), keys.leaf().getNotAfter().toInstant());
      }
      connector.setHost(host);
      connector.setPort(port);
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      return connector;
    });
  }
}
