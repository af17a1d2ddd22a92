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
    Path credentials = dir.resolve("admin-credentials");
    List<NodeSpec> specs = new ArrayList<>();
    for (NodeSpec s : LocalCluster.layout(nodes, dir, port, port + 100, port + 1790, heap, nodeArgs)) {
      specs.add(s.withExtraArgs(List.of("--s3-port", Integer.toString(s3Port + s.nodeId() - 1),
          "--admin-credentials-file", credentials.toString())));
    }
    java.nio.file.Files.createDirectories(dir);
    String adminPassword = writeCredentials(specs, credentials);
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
    System.out.printf("admin: user %s  password %s  (also in %s; anonymous access is on because the nodes "
        + "bind 127.0.0.1)%n", io.cairn.server.auth.AdminBootstrap.ADMIN_USER, adminPassword, credentials);
    System.out.printf("s3: %s://127.0.0.1:%d (node i: port %d+i-1)  keys in %s%n", tlsCert == null ? "http" : "https",
        s3Port, s3Port, credentials);
    System.out.printf("ready: %d node(s), leader is node %d; open %s/ (Ctrl-C stops the cluster)%n", nodes, leader,
        specs.get(0).httpUrl());
    watchForExits(cluster, specs);
    done.await();
    return 0;
  }

  /**
   * Writes {@code <data>/admin-credentials} (mode 0600) before the nodes start: the admin's user and
   * password (kept from an earlier run; a new random one for a new cluster, which the nodes then use to
   * create the admin account) and the admin's S3 key pair. Returns the admin password.
   */
  private String writeCredentials(List<NodeSpec> specs, Path file) {
    java.util.Map<String, String> old = io.cairn.server.auth.AdminBootstrap.readKeyValues(file);
    String password = old.get(io.cairn.server.auth.AdminBootstrap.PASSWORD_KEY);
    if (password == null || password.isBlank()) {
      byte[] b = new byte[18];
      new java.security.SecureRandom().nextBytes(b);
      password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
    String access = nodeArg("--s3-access-key");
    String secret = nodeArg("--s3-secret-key");
    if (access == null || secret == null) {
      io.cairn.server.s3.S3Credentials.KeyPair pair = io.cairn.server.s3.S3Credentials.derive(
          new io.cairn.chunk.Envelope(io.cairn.chunk.Keyring.fromEnvOrFile(System.getenv(), specs.get(0).masterKeyFile())));
      access = pair.accessKey();
      secret = pair.secretKey();
    }
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put(io.cairn.server.auth.AdminBootstrap.USER_KEY, io.cairn.server.auth.AdminBootstrap.ADMIN_USER);
    values.put(io.cairn.server.auth.AdminBootstrap.PASSWORD_KEY, password);
    values.put("AWS_ACCESS_KEY_ID", access);
    values.put("AWS_SECRET_ACCESS_KEY", secret);
    io.cairn.server.auth.AdminBootstrap.writeKeyValues(file, values);
    return password;
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
