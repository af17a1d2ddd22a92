package io.cairn.bench;

import io.cairn.server.launch.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A fresh local cluster of real node processes on free ports in a temp dir, removed afterwards. */
final class BenchCluster implements AutoCloseable {
  final Path dir;
  final LocalCluster cluster;
  int leader;

  BenchCluster(int nodes, String heap, List<String> args) throws IOException {
    dir = Files.createTempDirectory("cairn-bench-");
    cluster = new LocalCluster(LocalCluster.onFreePorts(nodes, dir, heap, args), true);
    cluster.startAll();
    try {
      leader = cluster.awaitReady(Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      cluster.dumpLogs(System.err, 40);
      close();
      throw e;
    }
  }

  String url(int node) {
    return cluster.specs().get(node - 1).httpUrl();
  }

  @Override
  public void close() {
    cluster.close();
    LocalCluster.deleteTree(dir);
  }
}
