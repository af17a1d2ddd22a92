package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id at the production cost: round trip, salting, and how long one hash takes here. */
class PasswordHasherTest {
  final PasswordHasher hasher = PasswordHasher.standard();

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    long t0 = System.nanoTime();
    String hash = hasher.hash("correct horse battery");
    long hashMillis = (System.nanoTime() - t0) / 1_000_000;
    // Printed so a slow machine (or a cost raised too far) shows in the build log.
    System.out.println("argon2id hash (19 MiB, 2 passes): " + hashMillis + " ms");

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(hasher.verify("correct horse battery", hash)).isTrue();
    assertThat(hasher.verify("correct horse batterY", hash)).isFalse();
    assertThat(hasher.verify("", hash)).isFalse();
  }

  @Test
  void twoHashesOfOnePasswordDifferBecauseOfTheSalt() {
    String a = hasher.hash("same password");
    String b = hasher.hash("same password");
    assertThat(a).isNotEqualTo(b);
    assertThat(hasher.verify("same password", a)).isTrue();
    assertThat(hasher.verify("same password", b)).isTrue();
  }

  @Test
  void verificationReadsTheCostFromTheHash() {
    // A hash made at another cost still verifies: raising the default must not lock anyone out.
    String cheap = new PasswordHasher(64, 1).hash("pw-12345");
    assertThat(hasher.verify("pw-12345", cheap)).isTrue();
  }

  @Test
  void malformedHashesAreFalseNotErrors() {
    assertThat(hasher.verify("x", "")).isFalse();
    assertThat(hasher.verify("x", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA")).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=64,t=1,q=1$AAAA$AAAA")).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=64,t=1,p=1$not base64!$AAAA")).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=zz,t=1,p=1$AAAA$AAAA")).isFalse();
  }
}
