package io.cairn.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.chunk.Keyring;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn key add|show|drop} on a keyring file. */
class KeyCommandTest {
  @TempDir
  Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    ClientIo io = new ClientIo(InputStream.nullInputStream(), new PrintStream(out, true), new PrintStream(err, true),
        false);
    return KeyCommand.commandLine(io).execute(args);
  }

  @Test
  void addShowAndDropKeepTheKeysAndNeverPrintThem() throws Exception {
    Path file = dir.resolve("cluster.key");
    Keyring original = Keyring.loadOrCreate(file);
    String raw = Base64.getEncoder().encodeToString(Files.readAllBytes(file));

    assertThat(run("add", "--key-file", file.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("key 2").contains("current").contains("cairn key rotate");
    assertThat(Keyring.load(file).get(1).fingerprint()).isEqualTo(original.current().fingerprint());

    assertThat(run("drop", "--key-file", file.toString(), "--id", "2")).isNotZero();
    assertThat(err.toString()).contains("current key");
    assertThat(run("drop", "--key-file", file.toString(), "--id", "1")).as(err.toString()).isZero();
    assertThat(Keyring.load(file).ids()).containsExactly(2);
    assertThat(run("show", "--key-file", file.toString())).isZero();
    assertThat(out.toString()).doesNotContain(raw.substring(0, 12));
    assertThat(Files.readString(file)).doesNotContain(raw);
  }
}
