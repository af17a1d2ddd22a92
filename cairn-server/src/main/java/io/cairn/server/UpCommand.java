package io.cairn.server;

import io.cairn.server.launch.LocalCluster;
import io.cairn.server.launch.NodeProcess;
import io.cairn.server.launch.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn up}: a local cluster of N node processes in the foreground. Node i serves HTTP on
 * {@code port + i - 1}, its internal endpoint on {@code port + 100 + i - 1} and Raft on
 * {@code port + 1790 + i - 1} (9870.. for the default port). Ctrl-C or SIGTERM stops every node cleanly;
 * starting again on the same data directory brings every file back.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 1,
    description = "Start a local Cairn cluster (one process per node) and stay in the foreground.")
public final class UpCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port of node 1 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data", defaultValue = "cairn-data", description = "Data directory (default ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--heap", defaultValue = "768m", description = "Heap per node (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--timeout", defaultValue = "PT120S", description = "How long to wait for the cluster.")
  Duration timeout;

  @Option(names = "--node-arg", description = "Extra flag passed to every node, e.g. --node-arg=--chunk-size=4MiB.")
  List<String> nodeArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > 99) {
      System.err.println("cairn up: --nodes must be between 1 and 99");
      return 1;
    }
    Path dir = data.toAbsolutePath().normalize();
    List<NodeSpec> specs = LocalCluster.layout(nodes, dir, port, port + 100, port + 1790, heap, nodeArgs);
    LocalCluster cluster = new LocalCluster(specs, true);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping " + nodes + " node(s)...");
      cluster.stopAll(30);
      System.out.println("stopped");
      done.countDown();
    }, "cairn-up-shutdown"));
    System.out.println("starting " + nodes + " node(s) with data in " + dir);
    cluster.startAll();
    int leader;
    try {
      leader = cluster.awaitReady(timeout);
    } catch (IllegalStateException e) {
      System.err.println("cairn up: " + e.getMessage());
      System.err.println("logs: " + dir + "/node-*/node.log");
      System.exit(1);
      return 1;
    }
    for (NodeSpec s : specs) {
      System.out.printf("node %d  %s  (raft %s:%d, log %s)%n", s.nodeId(), s.httpUrl(), s.host(), s.raftPort(),
          s.logFile());
    }
    System.out.printf("ready: %d node(s), leader is node %d; open %s/ (Ctrl-C stops the cluster)%n", nodes, leader,
        specs.get(0).httpUrl());
    watchForExits(cluster, specs);
    done.await();
    return 0;
  }

  /** Tells the user when a node dies on its own; the others keep running. */
  private static void watchForExits(LocalCluster cluster, List<NodeSpec> specs) {
    for (NodeSpec s : specs) {
      NodeProcess p = cluster.process(s.nodeId());
      Thread.ofVirtual().start(() -> {
        if (p.waitFor(Integer.MAX_VALUE) && p.exitCode() != 0 && p.exitCode() != 143) {
          System.err.printf("node %d exited with code %d; see %s%n", s.nodeId(), p.exitCode(), s.logFile());
        }
      });
    }
  }
}
