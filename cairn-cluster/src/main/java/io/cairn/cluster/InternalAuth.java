package io.cairn.cluster;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates node-to-node calls. Every internal request carries its send time and an HMAC-SHA256 over
 * method, path and that time, keyed by a secret derived from the cluster master key; so only nodes
 * holding the cluster's key can read, write or delete chunks, and a captured signature stops working
 * after {@link #MAX_SKEW}. Comparison is constant-time.
 */
public final class InternalAuth {
  public static final String TIME_HEADER = "X-Cairn-Time";
  public static final String SIGNATURE_HEADER = "X-Cairn-Signature";
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final SecretKeySpec key;
  private final Clock clock;

  public InternalAuth(byte[] secret, Clock clock) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("internal secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.clock = clock;
  }

  /** Current time for the {@link #TIME_HEADER} header. */
  public String now() {
    return Long.toString(clock.millis());
  }

  public String sign(String method, String path, String time) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal((method + "\n" + path + "\n" + time).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sig);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "HMAC unavailable", e);
    }
  }

  /** Throws UNAUTHORIZED unless the signature is valid and fresh. */
  public void verify(String method, String path, String time, String signature) {
    if (time == null || signature == null) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call without cluster credentials");
    }
    long sent;
    try {
      sent = Long.parseLong(time);
    } catch (NumberFormatException e) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "bad " + TIME_HEADER);
    }
    if (Math.abs(clock.millis() - sent) > MAX_SKEW.toMillis()) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call outside the allowed clock skew");
    }
    byte[] expected = sign(method, path, time).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new CairnException(ErrorCode.UNAUTHORIZED,
          "internal call with a bad signature (is every node using the same cluster key?)");
    }
  }
}
