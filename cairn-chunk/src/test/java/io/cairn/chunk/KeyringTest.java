package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {
  @TempDir
  Path dir;

  @Test
  void aBareKeyFileIsKeyOneAndAddingAKeyKeepsOldFilesReadable() {
    Path file = dir.resolve("cluster.key");
    Keyring one = Keyring.loadOrCreate(file);
    assertThat(one.ids()).containsExactly(1);
    Envelope before = new Envelope(one);
    byte[] dataKey = before.newDataKey();
    String wrappedUnder1 = before.wrap(dataKey, "f1");
    assertThat(Envelope.keyId(wrappedUnder1)).isEqualTo(1);
    assertThat(wrappedUnder1).doesNotContain(":"); // the format older versions wrote

    Keyring two = Keyring.load(file).withNewKey();
    two.save(file);
    Keyring reloaded = Keyring.load(file);
    assertThat(reloaded.ids()).containsExactly(1, 2);
    assertThat(reloaded.current().id()).isEqualTo(2);
    assertThat(reloaded.get(1).fingerprint()).isEqualTo(one.current().fingerprint());

    Envelope during = new Envelope(reloaded);
    assertThat(during.unwrap(wrappedUnder1, "f1")).isEqualTo(dataKey);
    String rewrapped = during.rewrap(wrappedUnder1, "f1");
    assertThat(rewrapped).startsWith("2:");
    assertThat(during.rewrap(rewrapped, "f1")).isSameAs(rewrapped);

    Envelope after = new Envelope(reloaded.without(1));
    assertThat(after.unwrap(rewrapped, "f1")).isEqualTo(dataKey);
    assertFails(ErrorCode.INTERNAL, () -> after.unwrap(wrappedUnder1, "f1"))
        .hasMessageContaining("master key 1").hasMessageContaining("does not hold");
  }

  @Test
  void derivedSecretsComeFromTheOldestKeySoAddingAKeyChangesNone() {
    Keyring one = Keyring.of(MasterKey.random(1));
    Keyring two = one.withNewKey();
    assertThat(new Envelope(two).deriveKey("p")).isEqualTo(new Envelope(one).deriveKey("p"));
    Map<Integer, byte[]> all = new Envelope(two).deriveKeys("p");
    assertThat(all).containsOnlyKeys(1, 2);
  }

  @Test
  void theCurrentKeyCannotBeDroppedNorAnAbsentOne() {
    Keyring two = Keyring.of(MasterKey.random(1)).withNewKey();
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> two.without(2)).hasMessageContaining("current");
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> two.without(7)).hasMessageContaining("no key 7");
  }

  @Test
  void keyFilesOthersCanReadAreRefused() throws IOException {
    Path file = dir.resolve("cluster.key");
    Keyring.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertFails(ErrorCode.INTERNAL, () -> Keyring.load(file)).hasMessageContaining("chmod 600");
    assertFails(ErrorCode.INTERNAL, () -> MasterKey.loadOrCreate(file)).hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(Keyring.load(file).ids()).containsExactly(1);
  }

  @Test
  void aSavedKeyringIsOwnerOnlyTextWithoutTempFiles() throws IOException {
    Path file = dir.resolve("ring");
    Keyring.of(MasterKey.random(1)).withNewKey().withNewKey().save(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("cairn-keyring v1").contains("key 3 ");
    try (var s = Files.list(dir)) {
      assertThat(s).containsExactly(file);
    }
  }

  @Test
  void keysFromTheEnvironmentWinOverTheFile() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 7;
    String b1 = Base64.getEncoder().encodeToString(k1);
    String b2 = Base64.getEncoder().encodeToString(k2);
    Keyring single = Keyring.fromEnvOrFile(Map.of(Keyring.ENV, b1), dir.resolve("never-created"));
    assertThat(single.ids()).containsExactly(1);
    assertThat(Files.exists(dir.resolve("never-created"))).isFalse();
    Keyring ring = Keyring.parse("1:" + b1 + ", 2:" + b2);
    assertThat(ring.current().id()).isEqualTo(2);
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> Keyring.parse("not base64!"));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> Keyring.parse("1:" + b1 + ",1:" + b2)).hasMessageContaining("twice");
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> Keyring.parse("0:" + b1));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> Keyring.parse(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("16 bytes").hasMessageNotContaining("AAAA");
  }

  @Test
  void malformedKeyringFilesAreRefusedWithTheLine() throws IOException {
    Path file = dir.resolve("ring");
    Files.writeString(file, "cairn-keyring v1\nkey one AAAA\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertFails(ErrorCode.INTERNAL, () -> Keyring.load(file)).hasMessageContaining("line 2");
  }
}
