package io.cairn.server.gateway;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the public HTTP gateway listens and how it treats uploads.
 *
 * @param bindHost interface to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (see {@link HttpGateway#port()})
 * @param tmpDir where multipart form uploads spool to disk; created when missing
 * @param maxUploadBytes largest body a single upload may carry (REST PUT and form upload)
 * @param tls HTTPS certificate, or null for plain HTTP
 */
public record GatewayConfig(String bindHost, int port, Path tmpDir, long maxUploadBytes,
    io.cairn.server.tls.TlsConfig tls) {
  /** 64 GiB: large enough for any real file, small enough to stop a runaway client filling the disks. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 30;

  public GatewayConfig {
    requireNonNull(bindHost, "bindHost");
    requireNonNull(tmpDir, "tmpDir");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be > 0, was " + maxUploadBytes);
    }
  }

  /** Plain HTTP. */
  public GatewayConfig(String bindHost, int port, Path tmpDir, long maxUploadBytes) {
    this(bindHost, port, tmpDir, maxUploadBytes, null);
  }

  /** This config serving HTTPS with {@code t} (null: plain HTTP). */
  public GatewayConfig withTls(io.cairn.server.tls.TlsConfig t) {
    return new GatewayConfig(bindHost, port, tmpDir, maxUploadBytes, t);
  }

  /** Loopback on a free port with the default upload limit: what tests and single-node trials want. */
  public static GatewayConfig loopback(Path tmpDir) {
    return new GatewayConfig("127.0.0.1", 0, tmpDir, DEFAULT_MAX_UPLOAD_BYTES);
  }
}
