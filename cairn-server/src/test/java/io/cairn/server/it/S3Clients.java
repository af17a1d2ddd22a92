package io.cairn.server.it;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The AWS SDK pointed at a test node: path-style addressing, fixed keys, patient with big objects. */
final class S3Clients {
  private S3Clients() {}

  static S3Client of(String endpoint, String access, String secret) {
    return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(5))).build();
  }

  /** The HTTP status of a call: 200 when it succeeded, the S3 error's status otherwise. */
  static int statusOf(Runnable r) {
    try {
      r.run();
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }
}
