package io.cairn.server.it;

import io.cairn.server.launch.LocalCluster;
import io.cairn.server.launch.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real cluster of separate node processes for integration tests: free ports, a temp data directory,
 * SIGKILL and restart of single nodes. Node output goes to each node's log file, which the test prints
 * when the cluster fails to come up.
 */
final class TestCluster implements AutoCloseable {
  final Path dir;
  final LocalCluster cluster;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  int leader;

  private TestCluster(Path dir, LocalCluster cluster) {
    this.dir = dir;
    this.cluster = cluster;
  }

  static TestCluster start(int nodes, String heap, String... extraArgs) {
    return start(nodes, heap, id -> List.of(), extraArgs);
  }

  /** Like {@link #start(int, String, String...)}, with extra flags for individual nodes. */
  static TestCluster start(int nodes, String heap, java.util.function.IntFunction<List<String>> perNode,
      String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("cairn-it-");
      List<String> args = new ArrayList<>(List.of(
          "--heartbeat-interval", "PT0.5S", "--dead-after", "PT4S", "--election-timeout-min", "PT1S",
          "--election-timeout-max", "PT2S"));
      args.addAll(List.of(extraArgs));
      List<NodeSpec> specs = LocalCluster.layout(nodes, dir, 0, 0, 0, heap, args);
      List<NodeSpec> withPorts = new ArrayList<>();
      List<String> raft = new ArrayList<>();
      int[][] ports = new int[nodes][4];
      for (int i = 0; i < nodes; i++) {
        for (int j = 0; j < 4; j++) {
          ports[i][j] = freePort();
        }
        raft.add("127.0.0.1:" + ports[i][2]);
      }
      java.util.Map<Integer, String> peers = new java.util.HashMap<>();
      for (int i = 0; i < nodes; i++) {
        peers.put(i + 1, raft.get(i));
      }
      for (int i = 0; i < nodes; i++) {
        NodeSpec s = specs.get(i);
        withPorts.add(new NodeSpec(s.nodeId(), s.host(), ports[i][0], ports[i][1], ports[i][2], s.dataDir(),
            s.masterKeyFile(), peers, heap, s.extraArgs())
            .withExtraArgs(List.of("--s3-port", Integer.toString(ports[i][3])))
            .withExtraArgs(perNode.apply(i + 1)));
      }
      TestCluster tc = new TestCluster(dir, new LocalCluster(withPorts, true));
      tc.cluster.startAll();
      tc.awaitReady();
      return tc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitReady() {
    try {
      leader = cluster.awaitReady(Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      dumpLogs();
      throw e;
    }
  }

  String url(int node) {
    return cluster.specs().get(node - 1).httpUrl();
  }

  /** The node's S3 endpoint, e.g. http://127.0.0.1:9000. */
  String s3Url(int node) {
    NodeSpec s = cluster.specs().get(node - 1);
    List<String> a = s.extraArgs();
    return "http://" + s.host() + ":" + a.get(a.indexOf("--s3-port") + 1);
  }

  Path nodeDir(int node) {
    return cluster.specs().get(node - 1).dataDir();
  }

  void kill(int node) {
    cluster.kill(node);
  }

  void restart(int node) {
    cluster.start(node);
  }

  void dumpLogs() {
    for (NodeSpec s : cluster.specs()) {
      try {
        List<String> lines = Files.readAllLines(s.logFile());
        System.err.println("==== node " + s.nodeId() + " log (last 80 lines) ====");
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.err::println);
      } catch (IOException e) {
        System.err.println("no log for node " + s.nodeId() + ": " + e);
      }
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    cluster.close();
    http.close();
    deleteTree(dir);
  }

  static void deleteTree(Path p) {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // Best effort: temp space.
    }
  }
}
