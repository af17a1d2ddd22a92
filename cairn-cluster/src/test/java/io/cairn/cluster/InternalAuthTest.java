package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalAuthTest {
  static final byte[] K1 = "0123456789abcdef0123".getBytes();
  static final byte[] K2 = "another-secret-of-20b".getBytes();
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(10_000_000), ZoneOffset.UTC);
  final InternalAuth auth = new InternalAuth(K1, clock);

  @Test
  void aFreshSignatureOverMethodPathTimeNonceAndBodyIsAcceptedOnce() {
    Map<String, String> h = auth.headers("PUT", "/internal/chunks/abc", "d1");
    verify(auth, "PUT", "/internal/chunks/abc", h);
    assertRefused(() -> verify(auth, "PUT", "/internal/chunks/abc", h))
        .hasMessageContaining("replayed");
  }

  @Test
  void wrongKeyOtherPathMethodBodyStaleOrMissingAreRefused() {
    Map<String, String> h = auth.headers("GET", "/internal/chunks/abc", InternalAuth.EMPTY_SHA256);
    InternalAuth other = new InternalAuth(K2, clock);
    assertRefused(() -> verify(other, "GET", "/internal/chunks/abc", h));
    assertRefused(() -> verify(auth, "GET", "/internal/chunks/abd", h));
    assertRefused(() -> verify(auth, "DELETE", "/internal/chunks/abc", h));
    assertRefused(() -> auth.verify("GET", "/internal/chunks/abc", h.get(InternalAuth.TIME_HEADER),
        h.get(InternalAuth.NONCE_HEADER), "other-body", h.get(InternalAuth.SIGNATURE_HEADER)));
    String old = Long.toString(clock.millis() - Duration.ofMinutes(6).toMillis());
    String nonce = auth.nonce();
    assertRefused(() -> auth.verify("GET", "/x", old, nonce, "d", auth.sign("GET", "/x", old, nonce, "d")));
    assertRefused(() -> auth.verify("GET", "/x", null, null, null, null));
    assertRefused(() -> auth.verify("GET", "/x", "not-a-number", nonce, "d", "1=00"));
    assertRefused(() -> auth.verify("GET", "/x", auth.now(), nonce, "d", "garbage"));
  }

  @Test
  void nodesWithOverlappingKeyringsStillTalkAndADroppedKeyNoLongerCounts() {
    InternalAuth oldRing = new InternalAuth(Map.of(1, K1), clock);
    InternalAuth both = new InternalAuth(Map.of(1, K1, 2, K2), clock);
    InternalAuth newRing = new InternalAuth(Map.of(2, K2), clock);
    verify(both, "GET", "/x", oldRing.headers("GET", "/x", "d"));
    verify(oldRing, "GET", "/x", both.headers("GET", "/x", "d"));
    verify(newRing, "GET", "/x", both.headers("GET", "/x", "d"));
    verify(both, "GET", "/x", newRing.headers("GET", "/x", "d"));
    assertRefused(() -> verify(newRing, "GET", "/x", oldRing.headers("GET", "/x", "d")));
  }

  static void verify(InternalAuth a, String method, String path, Map<String, String> h) {
    a.verify(method, path, h.get(InternalAuth.TIME_HEADER), h.get(InternalAuth.NONCE_HEADER),
        h.get(InternalAuth.CONTENT_SHA256_HEADER), h.get(InternalAuth.SIGNATURE_HEADER));
  }

  static org.assertj.core.api.AbstractThrowableAssert<?, ?> assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    return assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }
}
