package io.cairn.server.s3;

import io.cairn.chunk.Envelope;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the S3 endpoint looks up the secret of an access key. Today a cluster has one key pair (given
 * on the command line or derived from the cluster key, so every node agrees); per-user keys plug in here.
 */
public interface S3Credentials {

  /** The secret of {@code accessKey}, or empty when the key is unknown. */
  Optional<String> secretFor(String accessKey);

  /**
   * Who requests signed with {@code accessKey} act for (asked after the signature checked out). The
   * single cluster key pair is an admin credential.
   */
  default io.cairn.server.auth.Principal principalFor(String accessKey) {
    return io.cairn.server.auth.Principal.user("admin", true, "s3");
  }

  /** A single fixed key pair. */
  static S3Credentials single(String accessKey, String secretKey) {
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    return k -> accessKey.equals(k) ? Optional.of(secretKey) : Optional.empty();
  }

  /** The configured pair, or a stable pair derived from the cluster key. */
  static KeyPair pairFor(S3Config config, Envelope envelope) {
    if (config.accessKey() != null) {
      return new KeyPair(config.accessKey(), config.secretKey());
    }
    return derive(envelope);
  }

  /** An access key id and secret derived from the cluster key: the same on every node of a cluster. */
  static KeyPair derive(Envelope envelope) {
    byte[] a = envelope.deriveKey("cairn-s3-access-key-id");
    byte[] s = envelope.deriveKey("cairn-s3-secret-access-key");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder("CAIRN");
    for (int i = 0; i < 15; i++) {
      id.append(alphabet.charAt((a[i] & 0xff) % 32));
    }
    String secret = java.util.Base64.getEncoder().withoutPadding().encodeToString(s).substring(0, 40)
        .replace('+', 'A').replace('/', 'B');
    return new KeyPair(id.toString().toUpperCase(Locale.ROOT), secret);
  }

  /** An access key id and its secret. */
  record KeyPair(String accessKey, String secretKey) {
    public S3Credentials credentials() {
      return single(accessKey, secretKey);
    }

    @Override
    public String toString() {
      return "KeyPair[" + accessKey + "]";
    }
  }
}
