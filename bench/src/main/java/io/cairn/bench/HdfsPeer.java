package io.cairn.bench;

import io.cairn.bench.core.Timing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The HDFS peer: W1 and W2 with the same files, clients and passes against a MiniDFSCluster (3 DataNodes,
 * replication 3, hsync), run by {@code io.cairn.bench.hdfs.HdfsMain} in a separate JDK 17 process:
 * Hadoop 3.4's UserGroupInformation calls Subject.getSubject, which throws on JDK 23 and later. The JDK is
 * hdfs.java (a java binary), else the newest /usr/lib/jvm/java-17-* or java-11-*; its class path is the
 * cairn-bench-peer jar and bench/peer/target/hdfs.classpath, written by the build. Its figures go under "HDFS W1" and "HDFS W2".
 */
final class HdfsPeer implements Workload {
  private final FileSetBench w1;
  private final FileSetBench w2;

  HdfsPeer(FileSetBench w1, FileSetBench w2) {
    this.w1 = w1;
    this.w2 = w2;
  }

  @Override
  public String name() {
    return "HDFS";
  }

  @Override
  public String description() {
    return "the HDFS peer: W1 and W2 on a MiniDFSCluster (3 DataNodes, replication 3, hsync), JDK 17 process";
  }

  @Override
  public void run(BenchEnv env, Results results) throws Exception {
    Optional<Path> java = java(env);
    // The peer module's jar (or classes dir) has hdfs.classpath, Hadoop's class path, beside it.
    Path peerJar = Path.of(Timing.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path classpath = peerJar.resolveSibling("hdfs.classpath");
    if (java.isEmpty() || !Files.isRegularFile(classpath)) {
      results.note(name(), "not run: " + (java.isEmpty() ? "no JDK 17 or 11 found (set hdfs.java=/path/to/java)"
          : classpath + " missing (build the bench module with Maven)"));
      return;
    }
    Path base = Files.createTempDirectory("cairn-hdfs-");
    Files.createDirectories(env.out);
    Path log = env.out.resolve("hdfs.log");
    try {
      List<String> cmd = new ArrayList<>(List.of(java.get().toString(), "-Xmx2g",
          "-cp", peerJar + ":" + Files.readString(classpath).trim(), "io.cairn.bench.hdfs.HdfsMain", base.toString(),
          Integer.toString(w1.files(env)), join(w1.clients(env)), Integer.toString(w2.files(env)),
          join(w2.clients(env)), Integer.toString(env.passes)));
      Process p = new ProcessBuilder(cmd).redirectError(log.toFile())
          .start();
      int timings = 0;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          Timing t = Timing.parse(line);
          if (t != null) {
            String[] n = t.name.split("/"); // workload/op/clients
            results.addTiming("HDFS " + n[0], FileSetBench.op(n[1], Integer.parseInt(n[2])), t);
            timings++;
          }
        }
      }
      int code = p.waitFor();
      if (code != 0 || timings == 0) {
        results.note(name(), "HDFS process exited with " + code + " after " + timings + " passes; last lines of "
            + log + ":\n" + tail(log, 15));
      } else {
        results.note(name(), "HDFS " + version(classpath) + " on " + java.get());
      }
    } finally {
      io.cairn.server.launch.LocalCluster.deleteTree(base);
    }
  }

  private static String join(int[] values) {
    return String.join(",", java.util.Arrays.stream(values).mapToObj(Integer::toString).toList());
  }

  static Optional<Path> java(BenchEnv env) throws IOException {
    String given = env.setting("hdfs.java", "", "");
    if (!given.isEmpty()) {
      return Optional.of(Path.of(given));
    }
    for (String glob : List.of("java-17-*", "java-11-*")) {
      try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
        Optional<Path> found = s.filter(d -> d.getFileSystem().getPathMatcher("glob:" + glob).matches(d.getFileName()))
            .map(d -> d.resolve("bin/java")).filter(Files::isExecutable).sorted().reduce((a, b) -> b);
        if (found.isPresent()) {
          return found;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static String version(Path classpath) throws IOException {
    return Stream.of(Files.readString(classpath).split(":")).map(s -> Path.of(s).getFileName().toString())
        .filter(s -> s.startsWith("hadoop-hdfs-") && s.endsWith(".jar")).findFirst().orElse("?")
        .replaceAll("hadoop-hdfs-|(-tests)?\\.jar", "");
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
