package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private final byte[] masterBytes = new byte[32];
  private final Envelope envelope;

  EnvelopeTest() {
    for (int i = 0; i < masterBytes.length; i++) {
      masterBytes[i] = (byte) i;
    }
    envelope = new Envelope(MasterKey.of(masterBytes));
  }

  @Test
  void newDataKeysAreRandom32Bytes() {
    byte[] a = envelope.newDataKey();
    assertThat(a).hasSize(32);
    assertThat(envelope.newDataKey()).isNotEqualTo(a);
  }

  @Test
  void wrapUnwrapRoundTrip() {
    byte[] dataKey = envelope.newDataKey();
    String wrapped = envelope.wrap(dataKey, "file-1");
    assertThat(Base64.getDecoder().decode(wrapped)).hasSize(12 + 32 + 16);
    assertThat(envelope.unwrap(wrapped, "file-1")).isEqualTo(dataKey);
    assertThat(new Envelope(MasterKey.of(masterBytes)).unwrap(wrapped, "file-1")).isEqualTo(dataKey);
  }

  @Test
  void wrappingTwiceGivesDifferentText() {
    byte[] dataKey = envelope.newDataKey();
    assertThat(envelope.wrap(dataKey, "file-1")).isNotEqualTo(envelope.wrap(dataKey, "file-1"));
  }

  @Test
  void unwrapUnderAnotherMasterKeyOrFileFails() {
    String wrapped = envelope.wrap(envelope.newDataKey(), "file-1");
    assertFails(ErrorCode.INTERNAL, () -> new Envelope(MasterKey.random()).unwrap(wrapped, "file-1"))
        .hasMessageContaining("data key does not match this cluster's master key");
    assertFails(ErrorCode.INTERNAL, () -> envelope.unwrap(wrapped, "file-2"))
        .hasMessageContaining("data key does not match this cluster's master key");
  }

  @Test
  void damagedWrappedKeyFails() {
    byte[] raw = Base64.getDecoder().decode(envelope.wrap(envelope.newDataKey(), "file-1"));
    raw[20] ^= 1;
    assertFails(ErrorCode.INTERNAL, () -> envelope.unwrap(Base64.getEncoder().encodeToString(raw), "file-1"));
    assertFails(ErrorCode.INTERNAL, () -> envelope.unwrap("not base64!", "file-1"));
    assertFails(ErrorCode.INTERNAL, () -> envelope.unwrap("AAAA", "file-1")).hasMessageContaining("3 bytes");
    assertFails(ErrorCode.INTERNAL, () -> envelope.unwrap(null, "file-1"));
  }

  @Test
  void wrapRefusesBadArguments() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> envelope.wrap(new byte[16], "file-1"));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> envelope.wrap(null, "file-1"));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> envelope.wrap(new byte[32], ""));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> new Envelope((MasterKey) null));
  }

  @Test
  void deriveKeyIsHmacSha256OfThePurpose() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(masterBytes, "HmacSHA256"));
    byte[] expected = mac.doFinal("internal-auth".getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.deriveKey("internal-auth")).hasSize(32).isEqualTo(expected);
    assertThat(envelope.deriveKey("internal-auth")).isEqualTo(envelope.deriveKey("internal-auth"));
    assertThat(envelope.deriveKey("other")).isNotEqualTo(expected);
    assertThat(new Envelope(MasterKey.random()).deriveKey("internal-auth")).isNotEqualTo(expected);
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> envelope.deriveKey(""));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> envelope.deriveKey("cairn.master-key.fingerprint"));
  }
}
