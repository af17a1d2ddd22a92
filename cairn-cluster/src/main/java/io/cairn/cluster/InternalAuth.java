package io.cairn.cluster;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates node-to-node calls. Every internal request carries its send time, a random nonce, the
 * SHA-256 of its body and an HMAC-SHA256 over method, path, time, nonce and that digest, keyed by a
 * secret derived from the cluster master key. So only nodes holding the cluster's key can read, write
 * or delete chunks or send heartbeats; a captured request cannot be sent again (its nonce is remembered
 * for as long as its time is acceptable) nor carry another body, and it stops working after
 * {@link #MAX_SKEW}. Comparison is constant-time.
 *
 * <p>During a master key rotation nodes hold different sets of keys for a while, so a request is signed
 * once under every secret the sender holds ({@code id=hex,id=hex}) and accepted if any signature made
 * under a secret the receiver holds is valid. A key dropped from the receiver's keyring no longer
 * counts, so a leaked old key cannot forge requests once it has been removed everywhere.
 */
public final class InternalAuth {
  public static final String TIME_HEADER = "X-Cairn-Time";
  public static final String NONCE_HEADER = "X-Cairn-Nonce";
  public static final String CONTENT_SHA256_HEADER = "X-Cairn-Content-SHA256";
  public static final String SIGNATURE_HEADER = "X-Cairn-Signature";
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  /** The SHA-256 of an empty body. */
  public static final String EMPTY_SHA256 = sha256Hex(new byte[0], 0, 0);
  /** Remembered nonces beyond this many mean something is flooding us; refuse rather than grow. */
  static final int MAX_REMEMBERED_NONCES = 1_000_000;

  private final Map<Integer, SecretKeySpec> keys;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** Nonces of accepted requests, to their send time; forgotten once that time is outside MAX_SKEW. */
  private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
  private volatile long nextPruneMillis;

  /** One secret (key id 1). */
  public InternalAuth(byte[] secret, Clock clock) {
    this(Map.of(1, secret), clock);
  }

  /** Secrets by master key id; requests are signed under each and accepted under any. */
  public InternalAuth(Map<Integer, byte[]> secrets, Clock clock) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one internal secret is needed");
    }
    Map<Integer, SecretKeySpec> m = new TreeMap<>();
    secrets.forEach((id, secret) -> {
      if (secret.length < 16) {
        throw new IllegalArgumentException("internal secret must be at least 16 bytes");
      }
      m.put(id, new SecretKeySpec(secret.clone(), "HmacSHA256"));
    });
    this.keys = Map.copyOf(m);
    this.clock = clock;
  }

  /** Current time for the {@link #TIME_HEADER} header. */
  public String now() {
    return Long.toString(clock.millis());
  }

  /** A fresh random nonce for the {@link #NONCE_HEADER} header. */
  public String nonce() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The four authentication headers for a request with this body digest (see {@link #sha256Hex}). */
  public Map<String, String> headers(String method, String path, String contentSha256) {
    String time = now();
    String nonce = nonce();
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TIME_HEADER, time);
    h.put(NONCE_HEADER, nonce);
    h.put(CONTENT_SHA256_HEADER, contentSha256);
    h.put(SIGNATURE_HEADER, sign(method, path, time, nonce, contentSha256));
    return h;
  }

  /** {@code id=hex} signatures under every secret held, comma-separated. */
  public String sign(String method, String path, String time, String nonce, String contentSha256) {
    String message = method + "\n" + path + "\n" + time + "\n" + nonce + "\n" + contentSha256;
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Integer, SecretKeySpec> e : new TreeMap<>(keys).entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(hmacHex(e.getValue(), message));
    }
    return sb.toString();
  }

  /**
   * Throws UNAUTHORIZED unless the request is signed under a secret held here, fresh, and not seen
   * before. The caller must still check that the body it receives hashes to {@code contentSha256}.
   */
  public void verify(String method, String path, String time, String nonce, String contentSha256,
      String signature) {
    if (time == null || nonce == null || contentSha256 == null || signature == null) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call without cluster credentials");
    }
    long sent;
    try {
      sent = Long.parseLong(time);
    } catch (NumberFormatException e) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "bad " + TIME_HEADER);
    }
    long now = clock.millis();
    if (Math.abs(now - sent) > MAX_SKEW.toMillis()) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call outside the allowed clock skew");
    }
    if (nonce.length() < 16 || nonce.length() > 64) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "bad " + NONCE_HEADER);
    }
    if (!validSignature(method + "\n" + path + "\n" + time + "\n" + nonce + "\n" + contentSha256, signature)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED,
          "internal call with a bad signature (is every node using the same cluster key?)");
    }
    rememberOnce(nonce, sent, now);
  }

  private boolean validSignature(String message, String header) {
    boolean ok = false;
    String[] parts = header.split(",", 16);
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      SecretKeySpec key;
      try {
        key = keys.get(Integer.parseInt(part.substring(0, eq).trim()));
      } catch (NumberFormatException e) {
        continue;
      }
      if (key != null) {
        byte[] expected = hmacHex(key, message).getBytes(StandardCharsets.US_ASCII);
        ok |= MessageDigest.isEqual(expected, part.substring(eq + 1).trim().getBytes(StandardCharsets.US_ASCII));
      }
    }
    return ok;
  }

  /** Refuses a nonce already accepted; forgets nonces whose time can no longer pass the skew check. */
  private void rememberOnce(String nonce, long sent, long now) {
    if (now >= nextPruneMillis) {
      nextPruneMillis = now + 10_000;
      long oldest = now - MAX_SKEW.toMillis() - 1_000;
      seen.values().removeIf(t -> t < oldest);
    }
    if (seen.size() >= MAX_REMEMBERED_NONCES) {
      throw new CairnException(ErrorCode.UNAVAILABLE, "too many internal calls to check for replays; retry later");
    }
    if (seen.putIfAbsent(nonce, sent) != null) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call replayed (nonce already used)");
    }
  }

  /** Hex SHA-256 of {@code len} bytes of {@code b} from {@code off}. */
  public static String sha256Hex(byte[] b, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, off, len);
      return HexFormat.of().formatHex(md.digest());
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "SHA-256 unavailable", e);
    }
  }

  private static String hmacHex(SecretKeySpec key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "HMAC unavailable", e);
    }
  }
}
