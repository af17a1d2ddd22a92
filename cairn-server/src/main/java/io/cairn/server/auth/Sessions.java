package io.cairn.server.auth;

import io.cairn.meta.UserAccount;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web UI sessions as signed cookies, so any node accepts a session made on another: the value is
 * {@code base64url(user \n expiryMillis \n passwordFingerprint) . HMAC}. The HMAC key is derived from the
 * cluster master key. The fingerprint (a hash of the stored password hash) ends every session of a user
 * whose password changed; a removed user fails the account lookup done on each request.
 *
 * <p>The CSRF token of a session is HMAC("csrf", cookie value): the server renders it into its pages, the
 * browser sends it back in a form field or the {@code X-CSRF-Token} header, and a cross-site page can read
 * neither the cookie nor the token.
 */
final class Sessions {
  static final String COOKIE = "cairn_session";
  static final Duration LIFETIME = Duration.ofHours(12);
  private final byte[] key;
  private final Clock clock;

  Sessions(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  String create(UserAccount user) {
    long expiry = clock.millis() + LIFETIME.toMillis();
    String payload = user.name() + "\n" + expiry + "\n" + fingerprint(user);
    String p = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return p + "." + mac("session", p);
  }

  /** The user name in a valid, unexpired cookie; empty for anything else. */
  Optional<Claim> verify(String cookie) {
    int dot = cookie.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String p = cookie.substring(0, dot);
    if (!MessageDigest.isEqual(mac("session", p).getBytes(StandardCharsets.UTF_8),
        cookie.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8).split("\n", 3);
      if (parts.length != 3 || Long.parseLong(parts[1]) < clock.millis()) {
        return Optional.empty();
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new Claim(parts[0], parts[2]));
  }

  String csrfToken(String cookie) {
    return mac("csrf", cookie);
  }

  static String fingerprint(UserAccount user) {
    return Accounts.sha256(user.passwordHash()).substring(0, 16);
  }

  private String mac(String purpose, String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      m.update(purpose.getBytes(StandardCharsets.UTF_8));
      m.update((byte) 0);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a valid cookie claims: the user, and the fingerprint of the password it was made with. */
  record Claim(String user, String fingerprint) {}
}
