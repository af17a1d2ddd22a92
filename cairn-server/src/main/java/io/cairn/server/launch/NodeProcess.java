package io.cairn.server.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node running as a separate JVM, started from the same jar and Java runtime as the current process.
 * Output goes to the node's log file. {@link #kill()} is SIGKILL; {@link #stop()} is SIGTERM, which
 * runs the node's clean shutdown.
 */
public final class NodeProcess {
  private final NodeSpec spec;
  private final Process process;

  private NodeProcess(NodeSpec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  /** Starts the node; {@code parentWatch} makes it exit when this JVM exits, however that happens. */
  public static NodeProcess start(NodeSpec spec, boolean parentWatch) {
    try {
      Files.createDirectories(spec.dataDir());
      List<String> cmd = new ArrayList<>(javaCommand(spec.heap()));
      cmd.add("-Dcairn.node=" + spec.nodeId());
      cmd.add("-jar");
      cmd.add(jarPath().toString());
      cmd.addAll(spec.serverArgs());
      if (parentWatch) {
        cmd.add("--parent-pid");
        cmd.add(Long.toString(ProcessHandle.current().pid()));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
      return new NodeProcess(spec, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + spec.nodeId(), e);
    }
  }

  /** java executable and flags for a node JVM on this runtime. */
  static List<String> javaCommand(String heap) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC",
        "--enable-native-access=ALL-UNNAMED"));
    // Ratis' shaded Netty/Guava call sun.misc.Unsafe; from JDK 23 the runtime warns unless told to allow it.
    if (Runtime.version().feature() >= 23) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    return cmd;
  }

  /** The cairn jar this class was loaded from (or the path in system property cairn.jar, for tests). */
  static Path jarPath() {
    String override = System.getProperty("cairn.jar");
    if (override != null) {
      return Path.of(override);
    }
    try {
      Path p = Path.of(NodeProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!p.toString().endsWith(".jar")) {
        throw new IllegalStateException("not running from the cairn jar (" + p + "); build it with ./cairn");
      }
      return p;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public NodeSpec spec() {
    return spec;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, then wait for the process to be gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(30);
  }

  /** SIGTERM (clean shutdown); SIGKILL if it has not exited within the timeout. */
  public void stop(int timeoutSeconds) {
    process.destroy();
    if (!waitFor(timeoutSeconds)) {
      process.destroyForcibly();
      waitFor(10);
    }
  }

  /** Sends SIGTERM without waiting. */
  public void signalStop() {
    process.destroy();
  }

  public boolean waitFor(int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  public File log() {
    return spec.logFile().toFile();
  }
}
