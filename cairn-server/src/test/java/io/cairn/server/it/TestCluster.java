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
      List<NodeSpec> withPorts = new ArrayList<>();
      for (NodeSpec s : LocalCluster.onFreePorts(nodes, dir, heap, args)) {
        withPorts.add(s.withExtraArgs(perNode.apply(s.nodeId())));
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

  /** Starts one more node that joins the running cluster; returns its id (not waiting for it). */
  int join(String... moreArgs) {
    return cluster.join(cluster.joiningSpec(dir).withExtraArgs(List.of(moreArgs)));
  }

  void dumpLogs() {
    cluster.dumpLogs(System.err, 80);
  }

  static int freePort() {
    return LocalCluster.freePort();
  }

  @Override
  public void close() {
    cluster.close();
    http.close();
    deleteTree(dir);
  }

  static void deleteTree(Path p) {
    LocalCluster.deleteTree(p);
  }
}
