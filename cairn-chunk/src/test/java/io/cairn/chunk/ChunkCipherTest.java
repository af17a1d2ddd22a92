package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkCipherTest {
  private final Random random = new Random(7);
  private final ChunkCipher cipher = new ChunkCipher();
  private final byte[] key = bytes(32);

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 4096, 100_000, (1 << 20) + 3})
  void roundTrip(int size) {
    byte[] plain = bytes(size);
    byte[] sealed = cipher.seal(key, "file-1", 3, plain, 0, size);
    assertThat(sealed).hasSize(ChunkCipher.sealedLength(size));
    assertThat(cipher.open(key, "file-1", 3, sealed, sealed.length)).isEqualTo(plain);
  }

  @Test
  void sealedLengthAddsNonceAndTag() {
    assertThat(ChunkCipher.sealedLength(0)).isEqualTo(28);
    assertThat(ChunkCipher.sealedLength(1000)).isEqualTo(1028);
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> ChunkCipher.sealedLength(-1));
  }

  @Test
  void sealsOnlyTheGivenRangeAndOpensOnlyTheGivenLength() {
    byte[] plain = bytes(100);
    byte[] sealed = cipher.seal(key, "file-1", 0, plain, 10, 50);
    byte[] buffer = Arrays.copyOf(sealed, sealed.length + 40); // e.g. a reused read buffer
    assertThat(cipher.open(key, "file-1", 0, buffer, sealed.length)).isEqualTo(Arrays.copyOfRange(plain, 10, 60));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> cipher.seal(key, "file-1", 0, plain, 60, 50));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> cipher.open(key, "file-1", 0, sealed, sealed.length + 1));
  }

  @Test
  void everySealUsesAFreshNonce() {
    byte[] plain = bytes(64);
    byte[] a = cipher.seal(key, "file-1", 0, plain, 0, plain.length);
    byte[] b = cipher.seal(key, "file-1", 0, plain, 0, plain.length);
    assertThat(Arrays.copyOf(a, 12)).isNotEqualTo(Arrays.copyOf(b, 12));
    assertThat(Arrays.copyOfRange(a, 12, a.length)).isNotEqualTo(Arrays.copyOfRange(b, 12, b.length));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 11, 12, 60, 127})
  void tamperingAnywhereFailsAuthentication(int position) {
    byte[] sealed = cipher.seal(key, "file-1", 0, bytes(100), 0, 100);
    sealed[position] ^= 0x01; // nonce, ciphertext or tag
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(key, "file-1", 0, sealed, sealed.length))
        .hasMessageContaining("failed authentication");
  }

  @Test
  void chunkCannotMoveToAnotherFileIndexOrKey() {
    byte[] sealed = cipher.seal(key, "file-1", 5, bytes(100), 0, 100);
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(key, "file-2", 5, sealed, sealed.length));
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(key, "file-1", 6, sealed, sealed.length));
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(bytes(32), "file-1", 5, sealed, sealed.length));
  }

  @Test
  void truncatedSealedChunkFails() {
    byte[] sealed = cipher.seal(key, "file-1", 0, bytes(100), 0, 100);
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(key, "file-1", 0, sealed, sealed.length - 1));
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> cipher.open(key, "file-1", 0, sealed, 27));
  }

  @Test
  void badKeyOrFileIdIsInvalidArgument() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> cipher.seal(new byte[16], "file-1", 0, new byte[1], 0, 1));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> cipher.seal(key, "", 0, new byte[1], 0, 1));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> cipher.seal(key, null, 0, new byte[1], 0, 1));
  }

  /** Pins the documented layout: anyone with the data key can open a chunk with plain AES-GCM. */
  @Test
  void layoutIsNonceThenCiphertextAndTagWithFileIdAndIndexAsAssociatedData() throws Exception {
    byte[] plain = bytes(50);
    byte[] sealed = cipher.seal(key, "f\u00e9le", 258, plain, 0, plain.length);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
    byte[] fileId = "f\u00e9le".getBytes(StandardCharsets.UTF_8);
    c.updateAAD(ByteBuffer.allocate(fileId.length + 4).put(fileId).putInt(258).array());
    assertThat(c.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plain);
  }

  @Test
  void warmUpFinishesQuicklyAndRunsOnce() {
    long start = System.nanoTime();
    ChunkCipher.warmUp();
    long first = System.nanoTime() - start;
    start = System.nanoTime();
    ChunkCipher.warmUp();
    long second = System.nanoTime() - start;
    assertThat(first).isLessThan(5_000_000_000L); // budget is under 2 s; slack for a loaded machine
    assertThat(second).isLessThan(first);
  }
}
