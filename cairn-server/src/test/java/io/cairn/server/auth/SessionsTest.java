package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.UserAccount;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signed session cookies: what they claim, and everything that must make them worthless. */
class SessionsTest {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final UserAccount ALICE = new UserAccount("alice", "$argon2id$stored-hash-1", false, 0);
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Sessions sessions = new Sessions(KEY, clock);

  @Test
  void aFreshCookieClaimsItsUserAndPassword() {
    Sessions.Claim claim = sessions.verify(sessions.create(ALICE)).orElseThrow();
    assertThat(claim.user()).isEqualTo("alice");
    assertThat(claim.fingerprint()).isEqualTo(Sessions.fingerprint(ALICE));
  }

  @Test
  void aTamperedCookieIsRefused() {
    String cookie = sessions.create(ALICE);
    int dot = cookie.indexOf('.');
    // Same signature, payload claiming another user.
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(cookie.substring(0, dot)), StandardCharsets.UTF_8)
            .replace("alice", "admin").getBytes(StandardCharsets.UTF_8)) + cookie.substring(dot);
    assertThat(sessions.verify(forged)).isEmpty();
    assertThat(sessions.verify(cookie.substring(0, cookie.length() - 1) + "A")).isEmpty();
    assertThat(sessions.verify(cookie.substring(0, dot))).isEmpty();
    assertThat(sessions.verify("")).isEmpty();
    assertThat(sessions.verify("!!!.???")).isEmpty();
  }

  @Test
  void aCookieSignedWithAnotherKeyIsRefused() {
    Sessions other = new Sessions("another key, another cluster....".getBytes(StandardCharsets.UTF_8), clock);
    assertThat(sessions.verify(other.create(ALICE))).isEmpty();
  }

  @Test
  void anExpiredCookieIsRefused() {
    String cookie = sessions.create(ALICE);
    clock.advance(Sessions.LIFETIME.minusSeconds(1));
    assertThat(sessions.verify(cookie)).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(sessions.verify(cookie)).isEmpty();
  }

  @Test
  void aPasswordChangeChangesTheFingerprint() {
    assertThat(Sessions.fingerprint(ALICE.withPasswordHash("$argon2id$stored-hash-2")))
        .isNotEqualTo(Sessions.fingerprint(ALICE));
  }

  @Test
  void csrfTokensBelongToOneSession() {
    String a = sessions.create(ALICE);
    clock.advance(Duration.ofMillis(1));
    String b = sessions.create(ALICE);
    assertThat(sessions.csrfToken(a)).isEqualTo(sessions.csrfToken(a)).isNotEqualTo(sessions.csrfToken(b));
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
