package io.cairn.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
  @Test
  void knownCrc32cValue() {
    byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(Checksums.crc32c(b, 0, b.length)).isEqualTo(0xE3069283L); // the standard check value
  }

  @Test
  void honoursOffsetAndLength() {
    byte[] b = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
    assertThat(Checksums.crc32c(b, 2, 9)).isEqualTo(0xE3069283L);
    assertThat(Checksums.crc32c(b, 0, 0)).isZero();
  }
}
