package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    // Tools first, so a machine without them does not start a cluster for nothing.
    Run tools = run(script, 30, "--check-tools");
    assertThat(tools.finished()).as("smoke.sh --check-tools hung").isTrue();
    Assumptions.assumeFalse(tools.exit() == 0 && tools.skipLine() != null, tools::skipLine);
    assertThat(tools.exit()).as("stress tools missing (CI=true):%n%s", tools.log()).isZero();
    try (TestCluster c = TestCluster.start(3, "512m")) {
      Run smoke = run(script, TIMEOUT_SECONDS, "--host", c.url(1));
      assertThat(smoke.finished()).as("stress/smoke.sh did not finish in %d s:%n%s", TIMEOUT_SECONDS, smoke.log())
          .isTrue();
      if (smoke.exit() != 0) {
        c.dumpLogs();
      }
      assertThat(smoke.exit()).as("stress/smoke.sh failed:%n%s", smoke.log()).isZero();
      assertThat(smoke.log()).contains("smoke: PASSED");
    }
  }

  private record Run(boolean finished, int exit, String log) {
    String skipLine() {
      return log.lines().filter(l -> l.startsWith("SKIP:")).findFirst().orElse(null);
    }
  }

  /** Runs the script with bash, bounded: on timeout it and its children are stopped. */
  private static Run run(Path script, long timeoutSeconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread pump = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
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
    return new Run(finished, finished ? p.exitValue() : -1, log);
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
