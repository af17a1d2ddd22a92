package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stress suite in miniature against a real 3-node cluster: {@code stress/smoke.sh} ingests 30
 * images (every one verified by download) and runs Locust for 20 s, and must see no failure. The script
 * needs Debian's python3-locust, python3-pil, python3-numpy and python3-requests; without them it prints
 * SKIP (this test is then skipped), unless CI=true, where it fails.
 */
class StressSmokeIT {
  private static final long TIMEOUT_SECONDS = 240;

  @Test
  void smokeRunOfTheStressSuiteHasNoFailures() throws Exception {
    Path script = repoRoot().resolve("stress/smoke.sh");
    assertThat(script).exists();
    try (TestCluster c = TestCluster.start(3, "512m")) {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--host", c.url(1));
      pb.redirectErrorStream(true);
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread pump = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
      boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      pump.join(10_000);
      String log = out.toString(StandardCharsets.UTF_8);
      System.out.println(log);
      assertThat(finished).as("stress/smoke.sh did not finish in %d s:%n%s", TIMEOUT_SECONDS, log).isTrue();
      Assumptions.assumeFalse(p.exitValue() == 0 && log.lines().anyMatch(l -> l.startsWith("SKIP:")),
          () -> log.lines().filter(l -> l.startsWith("SKIP:")).findFirst().orElse("skipped"));
      if (p.exitValue() != 0) {
        c.dumpLogs();
      }
      assertThat(p.exitValue()).as("stress/smoke.sh failed:%n%s", log).isZero();
      assertThat(log).contains("smoke: PASSED");
    }
  }

  /** The module directory is the working directory under Maven; the repository is its parent. */
  private static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("stress/smoke.sh"))) {
        return d;
      }
    }
    return dir.getParent();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
