package io.cairn.server.web;

import io.cairn.server.launch.LocalCluster;
import io.cairn.server.launch.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real cluster of node processes on free loopback ports for the browser tests, with SIGKILL of single
 * nodes (the same set-up as the cluster integration tests, kept here so the two can evolve apart).
 * Failure detection is fast (dead after 3 s) so a killed node shows as DEAD within the test's patience.
 */
final class WebTestCluster implements AutoCloseable {
  final Path dir;
  final LocalCluster cluster;

  private WebTestCluster(Path dir, LocalCluster cluster) {
    this.dir = dir;
    this.cluster = cluster;
  }

  /**
   * Starts and waits for a leader. Free ports are picked by binding port 0 and letting go, so another
   * process on this shared machine can take one before the node binds it; such a start is retried on
   * fresh ports (twice at most) rather than failing the test.
   */
  static WebTestCluster start(int nodes, String heap) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(nodes, heap);
      } catch (IllegalStateException e) {
        if (attempt == 3) {
          throw e;
        }
        System.err.println("cluster start failed (" + e.getMessage() + "); retrying on new ports");
      }
    }
  }

  private static WebTestCluster startOnce(int nodes, String heap) {
    try {
      Path dir = Files.createTempDirectory("cairn-web-it-");
      List<String> args = List.of("--heartbeat-interval", "PT0.5S", "--dead-after", "PT3S",
          "--election-timeout-min", "PT1S", "--election-timeout-max", "PT2S");
      List<NodeSpec> withPorts = LocalCluster.onFreePorts(nodes, dir, heap, args);
      WebTestCluster c = new WebTestCluster(dir, new LocalCluster(withPorts, true));
      c.cluster.startAll();
      try {
        c.cluster.awaitReady(Duration.ofSeconds(120));
      } catch (IllegalStateException e) {
        c.dumpLogs();
        c.close();
        throw e;
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(int node) {
    return cluster.specs().get(node - 1).httpUrl();
  }

  int size() {
    return cluster.specs().size();
  }

  void kill(int node) {
    cluster.kill(node);
  }

  void dumpLogs() {
    cluster.dumpLogs(System.err, 60);
  }

  static int freePort() {
    return LocalCluster.freePort();
  }

  @Override
  public void close() {
    cluster.close();
    LocalCluster.deleteTree(dir);
  }
}
