package io.cairn.server.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.server.MonitorCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Prometheus' binaries (Debian package {@code prometheus}) and the shipped monitoring files. A missing
 * binary skips the test, loudly, on a developer's machine, and fails it under CI (CI=true), where
 * .ci/run installs the package.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** Absolute path of {@code name} on PATH; skips (or fails under CI) when it is not installed. */
  public static String require(String name) {
    String found = MonitorCommand.findOnPath(name);
    if (found != null) {
      return found;
    }
    String msg = "'" + name + "' is not installed (Debian package 'prometheus'); this test needs it";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(msg + ". CI must install it (.ci/run).");
    }
    System.err.println("!!!! SKIPPED: " + msg + ". Install it with: apt-get install prometheus");
    Assumptions.abort(msg);
    return null;
  }

  /** deploy/monitoring of this checkout (tests run in the module directory). */
  public static Path monitoringDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("deploy").resolve("monitoring");
      if (Files.isRegularFile(d.resolve("prometheus.yml"))) {
        return d;
      }
    }
    throw new IllegalStateException("deploy/monitoring not found above " + Path.of("").toAbsolutePath());
  }

  /** Result of a finished command. */
  public record Run(int exitCode, String output) {}

  /** Runs a command in {@code dir} with {@code stdin}, output and errors merged; at most 60 s. */
  public static Run run(Path dir, String stdin, String... cmd) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish in 60 s");
      }
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
