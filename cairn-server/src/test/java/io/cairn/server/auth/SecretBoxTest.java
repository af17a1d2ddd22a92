package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealed S3 secrets survive a master key rotation: re-sealed under the new key, the old one can go. */
class SecretBoxTest {
  static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  @Test
  void aSecretResealedUnderTheNewKeyOpensWithoutTheOldOne() {
    SecretBox before = new SecretBox(Map.of(1, key(1)), 1);
    String sealed = before.seal("s3cret", "CKID");
    assertThat(sealed).startsWith("1:").doesNotContain("s3cret");

    SecretBox during = new SecretBox(Map.of(1, key(1), 2, key(2)), 2);
    assertThat(during.open(sealed, "CKID")).isEqualTo("s3cret");
    String resealed = during.reseal(sealed, "CKID");
    assertThat(resealed).startsWith("2:");
    assertThat(during.reseal(resealed, "CKID")).as("already under the current key").isNull();

    SecretBox after = new SecretBox(Map.of(2, key(2)), 2);
    assertThat(after.open(resealed, "CKID")).isEqualTo("s3cret");
    assertThatThrownBy(() -> after.open(sealed, "CKID")).isInstanceOf(CairnException.class)
        .hasMessageContaining("master key 1");
  }

  @Test
  void aSealedSecretIsBoundToItsAccessKeyId() {
    SecretBox box = new SecretBox(Map.of(1, key(1)), 1);
    String sealed = box.seal("s3cret", "CKID");
    assertThatThrownBy(() -> box.open(sealed, "OTHER")).isInstanceOf(CairnException.class);
  }
}
