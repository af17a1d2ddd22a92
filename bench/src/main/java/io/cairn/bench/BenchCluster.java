package io.cairn.bench;

import io.cairn.server.launch.LocalCluster;
import io.cairn.server.launch.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fresh local cluster of real node processes on free ports in a temp dir, removed afterwards. */
final class BenchCluster implements AutoCloseable {
  final Path dir;
  final LocalCluster cluster;
  int leader;

  BenchCluster(int nodes, String heap, List<String> args) throws IOException {
    dir = Files.createTempDirectory("cairn-bench-");
    Map<Integer, String> peers = new HashMap<>();
    int[][] ports = new int[nodes][3];
    for (int i = 0; i < nodes; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = freePort();
      }
      peers.put(i + 1, "127.0.0.1:" + ports[i][2]);
    }
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      specs.add(new NodeSpec(i + 1, "127.0.0.1", ports[i][0], ports[i][1], ports[i][2], dir.resolve("node-" + (i + 1)),
          dir.resolve("cluster.key"), peers, heap, args));
    }
    cluster = new LocalCluster(specs, true);
    cluster.startAll();
    leader = cluster.awaitReady(Duration.ofSeconds(120));
  }

  String url(int node) {
    return cluster.specs().get(node - 1).httpUrl();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    cluster.close();
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp space
    }
  }
}
