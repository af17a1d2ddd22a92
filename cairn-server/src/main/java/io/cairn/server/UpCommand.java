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

  @Option(names = "--s3-port", defaultValue = "9000",
      description = "S3 port of node 1; node i gets S3_PORT+i-1 (default ${DEFAULT-VALUE}).")
  int s3Port;

  @Option(names = "--data", defaultValue = "cairn-data", description = "Data directory (default ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--heap", defaultValue = "768m", description = "Heap per node (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--timeout", defaultValue = "PT120S", description = "How long to wait for the cluster.")
  Duration timeout;

  @Option(names = "--node-arg", description = "Extra flag passed to every node, e.g. --node-arg=--chunk-size=4MiB.")
  List<String> nodeArgs = new ArrayList<>();

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve HTTPS on every node's HTTP and S3 ports: PEM chain (with --tls-key) or PKCS#12 "
          + "(password from $CAIRN_TLS_PASSWORD). It must name 127.0.0.1; `cairn cert` makes one.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for a PEM --tls-cert.")
  Path tlsKey;

  @Override
  public Integer call() throws Exception {
    if (tlsCert != null) {
      nodeArgs.add("--tls-cert=" + tlsCert.toAbsolutePath());
      if (tlsKey != null) {
        nodeArgs.add("--tls-key=" + tlsKey.toAbsolutePath());
      }
    }
    if (nodes < 1 || nodes > 99) {
      System.err.println("cairn up: --nodes must be between 1 and 99");
      return 1;
    }
    Path dir = data.toAbsolutePath().normalize();
    List<NodeSpec> specs = new ArrayList<>();
    for (NodeSpec s : LocalCluster.layout(nodes, dir, port, port + 100, port + 1790, heap, nodeArgs)) {
      specs.add(s.withExtraArgs(List.of("--s3-port", Integer.toString(s3Port + s.nodeId() - 1))));
    }
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
    printS3Credentials(specs, dir);
    System.out.printf("ready: %d node(s), leader is node %d; open %s/ (Ctrl-C stops the cluster)%n", nodes, leader,
        specs.get(0).httpUrl());
    watchForExits(cluster, specs);
    done.await();
    return 0;
  }

  /** Prints the S3 endpoint and key pair and writes them to {@code <data>/admin-credentials} (mode 0600). */
  private void printS3Credentials(List<NodeSpec> specs, Path dir) throws java.io.IOException {
    String access = nodeArg("--s3-access-key");
    String secret = nodeArg("--s3-secret-key");
    if (access == null || secret == null) {
      io.cairn.server.s3.S3Credentials.KeyPair pair = io.cairn.server.s3.S3Credentials.derive(
          new io.cairn.chunk.Envelope(io.cairn.chunk.Keyring.fromEnvOrFile(System.getenv(), specs.get(0).masterKeyFile())));
      access = pair.accessKey();
      secret = pair.secretKey();
    }
    Path file = dir.resolve("admin-credentials");
    java.nio.file.Files.deleteIfExists(file);
    java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    java.nio.file.Files.writeString(file, "AWS_ACCESS_KEY_ID=" + access + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\n");
    System.out.printf("s3: " + (tlsCert == null ? "http" : "https") + "://127.0.0.1:%d (node i: port %d+i-1)  AWS_ACCESS_KEY_ID=%s  AWS_SECRET_ACCESS_KEY=%s"
        + "  (also in %s)%n", s3Port, s3Port, access, secret, file);
  }

  /** The value of a server flag passed with --node-arg (as --flag=value or --flag value), or null. */
  private String nodeArg(String flag) {
    for (int i = 0; i < nodeArgs.size(); i++) {
      String a = nodeArgs.get(i);
      if (a.startsWith(flag + "=")) {
        return a.substring(flag.length() + 1);
      }
      if (a.equals(flag) && i + 1 < nodeArgs.size()) {
        return nodeArgs.get(i + 1);
      }
    }
    return null;
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
