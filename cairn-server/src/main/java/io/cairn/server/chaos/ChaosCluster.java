package io.cairn.server.chaos;

import io.cairn.server.launch.LocalCluster;
import io.cairn.server.launch.NodeProcess;
import io.cairn.server.launch.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node processes of a chaos run: a {@link LocalCluster} on free 127.0.0.1 ports, plus SIGSTOP/SIGCONT
 * and the node log tails for a report.
 */
final class ChaosCluster implements AutoCloseable {
  private final LocalCluster cluster;
  private final Set<Integer> paused = ConcurrentHashMap.newKeySet();

  private ChaosCluster(LocalCluster cluster) {
    this.cluster = cluster;
  }

  static ChaosCluster start(int nodes, Path dir, String heap, List<String> nodeArgs) {
    List<NodeSpec> layout = LocalCluster.layout(nodes, dir, 0, 0, 0, heap, nodeArgs);
    int[][] ports = new int[nodes][3];
    Map<Integer, String> peers = new HashMap<>();
    for (int i = 0; i < nodes; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = freePort();
      }
      peers.put(i + 1, "127.0.0.1:" + ports[i][2]);
    }
    List<NodeSpec> specs = new ArrayList<>();
    for (NodeSpec s : layout) {
      int[] p = ports[s.nodeId() - 1];
      specs.add(new NodeSpec(s.nodeId(), s.host(), p[0], p[1], p[2], s.dataDir(), s.masterKeyFile(), peers,
          heap, s.extraArgs()));
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChaosCluster c = new ChaosCluster(new LocalCluster(specs, true));
    c.cluster.startAll();
    return c;
  }

  int size() {
    return cluster.specs().size();
  }

  String url(int node) {
    return cluster.specs().get(node - 1).httpUrl();
  }

  Path log(int node) {
    return cluster.specs().get(node - 1).logFile();
  }

  /** Waits for every running node to be ready and ALIVE; returns the leader. */
  int awaitReady(Duration timeout) {
    return cluster.awaitReady(timeout);
  }

  void kill(int node) {
    paused.remove(node);
    cluster.kill(node);
  }

  void restart(int node) {
    cluster.start(node);
  }

  boolean running(int node) {
    NodeProcess p = cluster.process(node);
    return p != null && p.alive();
  }

  void pause(int node) {
    if (signal(node, "STOP")) {
      paused.add(node);
    }
  }

  void resume(int node) {
    if (paused.remove(node)) {
      signal(node, "CONT");
    }
  }

  private boolean signal(int node, String sig) {
    NodeProcess p = cluster.process(node);
    if (p == null || !p.alive()) {
      return false;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
      return kill.waitFor() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send SIG" + sig + " to node " + node, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    return io.cairn.server.launch.LocalCluster.freePort();
  }

  @Override
  public void close() {
    for (Integer node : List.copyOf(paused)) {
      resume(node);
    }
    cluster.close();
  }
}
