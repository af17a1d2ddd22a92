package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cairn command line, run as a separate process from the built jar against a real cluster. */
class CliIT {
  static TestCluster c;
  static Path work;

  @BeforeAll
  static void up() throws IOException {
    c = TestCluster.start(3, "384m");
    work = Files.createTempDirectory("cairn-cli-");
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
    TestCluster.deleteTree(work);
  }

  record Run(int exit, String out, String err) {}

  static Run cairn(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
        System.getProperty("cairn.jar")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(work.resolve("out")), Files.readString(work.resolve("err")));
  }

  /** A dead endpoint first: every command must fail over to the live node after it. */
  static String endpoints() {
    return "http://127.0.0.1:" + TestCluster.freePort() + "," + c.url(2);
  }

  @Test
  void putGetLsFindStatRmAndClusterWithFailover() throws Exception {
    Path src = work.resolve("photo.bin");
    try (var in = Payloads.stream(11, 12L << 20)) {
      Files.copy(in, src);
    }
    Run put = cairn("put", "--endpoint", endpoints(), src.toString(), "alice/holiday/photo.bin");
    assertThat(put.exit()).as(put.err()).isZero();
    Run get = cairn("get", "--endpoint", endpoints(), "alice/holiday/photo.bin", work.resolve("copy.bin").toString());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(Files.mismatch(src, work.resolve("copy.bin"))).isEqualTo(-1);
    Run ls = cairn("ls", "--endpoint", endpoints(), "alice", "--prefix", "holiday/");
    assertThat(ls.exit()).isZero();
    assertThat(ls.out()).contains("holiday/photo.bin");
    assertThat(cairn("find", "--endpoint", endpoints(), "alice", "PHOTO").out()).contains("photo.bin");
    Run stat = cairn("stat", "--endpoint", endpoints(), "alice/holiday/photo.bin");
    assertThat(stat.exit()).isZero();
    assertThat(stat.out()).contains(Payloads.sha256(11, 12L << 20));
    Run cluster = cairn("cluster", "--endpoint", endpoints());
    assertThat(cluster.exit()).isZero();
    assertThat(cluster.out()).contains("ALIVE");
    assertThat(cairn("rm", "--endpoint", endpoints(), "alice/holiday/photo.bin").exit()).isZero();
    Run missing = cairn("get", "--endpoint", endpoints(), "alice/holiday/photo.bin", work.resolve("x").toString());
    assertThat(missing.exit()).as("not found").isEqualTo(2);
    assertThat(work.resolve("x")).doesNotExist();
  }

  @Test
  void exitCodesScriptsCanTrust() throws Exception {
    Path src = work.resolve("note.txt");
    Files.writeString(src, "hello", StandardCharsets.UTF_8);
    assertThat(cairn("put", "--endpoint", c.url(1), src.toString(), "bob/note.txt").exit()).isZero();
    assertThat(cairn("put", "--endpoint", c.url(1), "--no-clobber", src.toString(), "bob/note.txt").exit())
        .as("already exists").isEqualTo(3);
    assertThat(cairn("ls", "--endpoint", "http://127.0.0.1:" + TestCluster.freePort(), "bob").exit())
        .as("unreachable").isEqualTo(4);
    assertThat(cairn("put", "--endpoint", c.url(1), src.toString(), "Bad_Bucket/x").exit()).as("bad input").isEqualTo(1);
  }
}
