package io.cairn.server.s3;

import java.time.Duration;
import java.util.List;

/**
 * Settings of a node's S3-compatible endpoint.
 *
 * @param port port to listen on (0 = any free port; negative = no S3 endpoint)
 * @param accessKey the cluster's access key id, or null to derive one from the cluster key
 * @param secretKey the secret for {@code accessKey}, or null to derive one
 * @param domains host names under which virtual-hosted-style requests ({@code bucket.domain}) arrive
 * @param multipartExpiry age after which an upload that was neither completed nor aborted is removed
 * @param region the region reported by GetBucketLocation
 * @param tls HTTPS certificate, or null for plain HTTP
 */
public record S3Config(int port, String accessKey, String secretKey, List<String> domains, Duration multipartExpiry,
    String region, io.cairn.server.tls.TlsConfig tls) {
  public static final int DEFAULT_PORT = 9000;

  public S3Config {
    domains = domains == null ? List.of("localhost") : List.copyOf(domains);
    multipartExpiry = multipartExpiry == null ? Duration.ofHours(24) : multipartExpiry;
    region = region == null || region.isBlank() ? "us-east-1" : region;
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("--s3-access-key and --s3-secret-key must be given together");
    }
  }

  /** Plain HTTP. */
  public S3Config(int port, String accessKey, String secretKey, List<String> domains, Duration multipartExpiry,
      String region) {
    this(port, accessKey, secretKey, domains, multipartExpiry, region, null);
  }

  public static S3Config defaults(int port) {
    return new S3Config(port, null, null, null, null, null);
  }

  public boolean enabled() {
    return port >= 0;
  }
}
