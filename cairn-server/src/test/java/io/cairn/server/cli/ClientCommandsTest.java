package io.cairn.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClientCommandsTest extends CliTestBase {
  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(tmp.resolve(name), data);
  }

  @Test
  void putGetRoundTripWithProgress() throws IOException {
    Path src = file("video.bin", 6 << 20);
    Result put = run("put", "--progress", src.toString(), "media/clips/video one.bin");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).contains("media/clips/video one.bin").contains(String.valueOf(6 << 20));
    assertThat(put.err()).contains("100%").contains("MB/s");
    assertThat(files.content("media", "clips/video one.bin")).isEqualTo(Files.readAllBytes(src));

    Path dest = tmp.resolve("copy.bin");
    Result get = run("get", "--progress", "media/clips/video one.bin", dest.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.err()).contains("100%");
    assertThat(Files.readAllBytes(dest)).isEqualTo(Files.readAllBytes(src));
    assertNoPartFiles(tmp);
  }

  @Test
  void putUsesTheFileNameForABucketOrPrefixAndGetIntoADirectory() throws IOException {
    Path src = file("Über report.pdf", 1000);
    assertThat(run("put", src.toString(), "docs").exit()).isZero();
    assertThat(run("put", src.toString(), "docs/2024/q1/").exit()).isZero();
    assertThat(files.exists("docs", "Über report.pdf")).isTrue();
    assertThat(files.exists("docs", "2024/q1/Über report.pdf")).isTrue();

    Path dir = Files.createDirectory(tmp.resolve("downloads"));
    assertThat(run("get", "docs/2024/q1/Über report.pdf", dir.toString()).exit()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("Über report.pdf"))).isEqualTo(Files.readAllBytes(src));
  }

  @Test
  void putFromStdinAndGetToStdout() {
    byte[] data = "streamed through pipes\n".getBytes();
    Result put = runWithStdin(data, "put", "-", "logs/today.log");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(files.content("logs", "today.log")).isEqualTo(data);
    Result get = run("get", "logs/today.log", "-");
    assertThat(get.exit()).isZero();
    assertThat(get.outBytes()).isEqualTo(data);
    assertThat(runWithStdin(data, "put", "-", "logs").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void lsFindAndBuckets() throws IOException {
    Path src = file("x", 10);
    for (String target : new String[] {"photos/2024/a.jpg", "photos/2024/b.JPG", "photos/2025/c.png", "notes/n.txt"}) {
      assertThat(run("put", src.toString(), target).exit()).isZero();
    }
    assertThat(run("ls").out().lines().toList()).containsExactly("notes", "photos");
    assertThat(run("ls", "photos").out().lines().toList()).containsExactly("2024/a.jpg", "2024/b.JPG",
        "2025/c.png");
    assertThat(run("ls", "photos", "--prefix", "2024/").out().lines().toList())
        .containsExactly("2024/a.jpg", "2024/b.JPG");
    assertThat(run("ls", "photos/2025/").out().lines().toList()).containsExactly("2025/c.png");
    assertThat(run("ls", "-l", "photos").out()).contains("10  ").contains("2024/a.jpg");
    assertThat(run("find", "photos", "jpg").out().lines().toList()).containsExactly("2024/a.jpg", "2024/b.JPG");
    Result missing = run("ls", "nobody");
    assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).isEqualTo("cairn: no such bucket: nobody\n");
  }

  @Test
  void rmAndNotFound() throws IOException {
    assertThat(run("put", file("a.jpg", 5).toString(), "photos").exit()).isZero();
    assertThat(run("rm", "photos/a.jpg").exit()).isZero();
    assertThat(files.exists("photos", "a.jpg")).isFalse();

    Result rm = run("rm", "photos/a.jpg");
    assertThat(rm.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(rm.err()).isEqualTo("cairn: no such file: photos/a.jpg\n");
    Path dest = tmp.resolve("never.jpg");
    Result get = run("get", "photos/a.jpg", dest.toString());
    assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(dest).doesNotExist();
    assertNoPartFiles(tmp);
    assertThat(run("stat", "photos/a.jpg").exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void aBrokenDownloadLeavesNoDestination() throws IOException {
    assertThat(run("put", file("v.bin", 1 << 20).toString(), "b/v.bin").exit()).isZero();
    files.failReadsAfter(300 << 10);
    Path dest = tmp.resolve("v-copy.bin");
    Result r = run("get", "--retries", "0", "b/v.bin", dest.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(dest).doesNotExist();
    assertNoPartFiles(tmp);
  }

  @Test
  void statShowsTheRecord() throws IOException {
    assertThat(run("put", "--meta", "owner=ann", file("r.bin", (2 << 20) + 5).toString(), "b/dir/r.bin").exit())
        .isZero();
    Result stat = run("stat", "b/dir/r.bin");
    assertThat(stat.exit()).isZero();
    assertThat(stat.out()).contains("b/dir/r.bin").contains("size").contains("2097157 bytes")
        .contains("owner=ann").contains("chunks        3").contains("REPLICAS").contains("1,2,3");
    Result json = run("stat", "--json", "b/dir/r.bin");
    assertThat(json.out()).contains("\"fileId\"").contains("\"chunks\"").doesNotContain("wrapped");
  }

  @Test
  void clusterTable() {
    Result r = run("cluster");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("leader: 1").contains("term: 1").contains("ALIVE")
        .contains(endpoint(gateway));
    assertThat(run("cluster", "--json").out()).contains("\"nodes\"");
  }

  @Test
  void exitCodes() throws IOException {
    Path src = file("a.txt", 3);
    assertThat(run("put", "-n", src.toString(), "b/a.txt").exit()).isZero();
    Result conflict = run("put", "--no-clobber", src.toString(), "b/a.txt");
    assertThat(conflict.exit()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(conflict.err()).isEqualTo("cairn: already exists: b/a.txt\n");

    Result badBucket = run("put", src.toString(), "Bad_Bucket/a.txt");
    assertThat(badBucket.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badBucket.err()).startsWith("cairn: bucket name");
    assertThat(run("get").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("get", "bucketonly").exit()).isEqualTo(ExitCodes.USAGE);

    Result noLocal = run("put", tmp.resolve("missing.txt").toString(), "b/x");
    assertThat(noLocal.exit()).isEqualTo(ExitCodes.LOCAL_IO);
    assertThat(noLocal.err()).startsWith("cairn: cannot read");
    Result badDest = run("get", "b/a.txt", tmp.resolve("no/such/dir/a.txt").toString());
    assertThat(badDest.exit()).isEqualTo(ExitCodes.LOCAL_IO);

    Result unreachable = run("ls", "--endpoint", deadEndpoint());
    assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(unreachable.err()).startsWith("cairn: cluster unavailable").contains("connection refused");
  }

  @Test
  void helpListsExitCodes() {
    Result help = run("get", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("cluster unavailable");
  }

  private static void assertNoPartFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(s.map(Path::toString)).noneMatch(p -> p.endsWith(".cairn-part"));
    }
  }
}
