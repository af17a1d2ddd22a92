package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  @TempDir
  Path dir;

  @Test
  void createsAnOwnerOnlyKeyFileAndReloadsTheSameKey() throws IOException {
    Path file = dir.resolve("keys/master.key");
    MasterKey created = MasterKey.loadOrCreate(file);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temp file left behind
    }

    MasterKey loaded = MasterKey.loadOrCreate(file);
    assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint());
    Envelope e = new Envelope(created);
    byte[] dataKey = e.newDataKey();
    assertThat(new Envelope(loaded).unwrap(e.wrap(dataKey, "file-1"), "file-1")).isEqualTo(dataKey);
  }

  @Test
  void differentFilesGetDifferentKeys() {
    assertThat(MasterKey.loadOrCreate(dir.resolve("a")).fingerprint())
        .isNotEqualTo(MasterKey.loadOrCreate(dir.resolve("b")).fingerprint());
  }

  @Test
  void keyFileOfTheWrongLengthIsRefusedAndLeftAlone() throws IOException {
    Path file = Files.write(dir.resolve("master.key"), new byte[31]);
    assertFails(ErrorCode.INTERNAL, () -> MasterKey.loadOrCreate(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("31 bytes");
    assertThat(Files.size(file)).isEqualTo(31);
  }

  @Test
  void ofChecksLengthAndCopies() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> MasterKey.of(new byte[16]));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> MasterKey.of(null));
    byte[] raw = new byte[32];
    MasterKey k = MasterKey.of(raw);
    String before = k.fingerprint();
    raw[0] = 1;
    assertThat(k.fingerprint()).isEqualTo(before);
  }

  @Test
  void toStringNeverShowsKeyBytes() {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (0xA0 + i);
    }
    String s = MasterKey.of(raw).toString();
    assertThat(s).startsWith("MasterKey[id=1, fingerprint=").hasSizeLessThan(50);
    assertThat(s.toLowerCase()).doesNotContain(HexFormat.of().formatHex(raw, 0, 4));
    assertThat(s).doesNotContain(Base64.getEncoder().encodeToString(raw).substring(0, 6));
  }
}
