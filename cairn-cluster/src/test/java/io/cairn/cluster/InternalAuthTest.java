package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InternalAuthTest {
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(10_000_000), ZoneOffset.UTC);
  final InternalAuth auth = new InternalAuth("0123456789abcdef0123".getBytes(), clock);

  @Test
  void aFreshSignatureOverMethodPathAndTimeIsAccepted() {
    String t = auth.now();
    auth.verify("PUT", "/internal/chunks/abc", t, auth.sign("PUT", "/internal/chunks/abc", t));
  }

  @Test
  void wrongKeyOtherPathOtherMethodStaleOrMissingAreRefused() {
    String t = auth.now();
    String sig = auth.sign("GET", "/internal/chunks/abc", t);
    InternalAuth other = new InternalAuth("another-secret-of-20b".getBytes(), clock);
    assertRefused(() -> other.verify("GET", "/internal/chunks/abc", t, sig));
    assertRefused(() -> auth.verify("GET", "/internal/chunks/abd", t, sig));
    assertRefused(() -> auth.verify("DELETE", "/internal/chunks/abc", t, sig));
    String old = Long.toString(clock.millis() - Duration.ofMinutes(6).toMillis());
    assertRefused(() -> auth.verify("GET", "/x", old, auth.sign("GET", "/x", old)));
    assertRefused(() -> auth.verify("GET", "/x", null, null));
    assertRefused(() -> auth.verify("GET", "/x", "not-a-number", "00"));
  }

  static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }
}
