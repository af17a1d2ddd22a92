package io.cairn.server.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.chunk.MasterKey;
import io.cairn.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N nodes on one machine, each its own process: what {@code cairn up} runs and what the integration
 * tests kill and restart. Node i gets HTTP port {@code httpBase + i - 1} and likewise for the internal and
 * Raft ports; all nodes share one cluster key in the data directory.
 */
public final class LocalCluster implements AutoCloseable {
  private final List<NodeSpec> specs;  // node i at index i - 1; grows when a node joins
  private final boolean parentWatch;
  private final Map<Integer, NodeProcess> running = new HashMap<>();
  private final HttpClient http;

  public LocalCluster(List<NodeSpec> specs, boolean parentWatch) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    io.cairn.server.tls.TlsConfig tls = specs.isEmpty() ? null : specs.get(0).tls();
    if (tls != null) {
      b.sslContext(io.cairn.server.tls.Trust.trusting(tls)); // readiness checks over HTTPS
    }
    this.http = b.build();
    this.specs = new ArrayList<>(specs);
    this.parentWatch = parentWatch;
  }

  /** Node specs for a cluster of {@code n} nodes on 127.0.0.1 with consecutive ports. */
  public static List<NodeSpec> layout(int n, Path dataDir, int httpBase, int internalBase, int raftBase,
      String heap, List<String> extraArgs) {
    Path key = dataDir.resolve("cluster.key");
    Map<Integer, String> peers = new HashMap<>();
    for (int i = 1; i <= n; i++) {
      peers.put(i, "127.0.0.1:" + (raftBase + i - 1));
    }
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      specs.add(new NodeSpec(i, "127.0.0.1", httpBase + i - 1, internalBase + i - 1, raftBase + i - 1,
          dataDir.resolve("node-" + i), key, peers, heap, extraArgs));
    }
    return specs;
  }

  /**
   * Node specs for {@code n} nodes on 127.0.0.1 with every port (HTTP, internal, Raft, S3) taken from
   * the free ports of the moment: for tests and benchmarks that run beside other clusters.
   */
  public static List<NodeSpec> onFreePorts(int n, Path dataDir, String heap, List<String> extraArgs) {
    Map<Integer, String> peers = new HashMap<>();
    int[][] ports = new int[n][4];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        ports[i][j] = freePort();
      }
      peers.put(i + 1, "127.0.0.1:" + ports[i][2]);
    }
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(new NodeSpec(i + 1, "127.0.0.1", ports[i][0], ports[i][1], ports[i][2],
          dataDir.resolve("node-" + (i + 1)), dataDir.resolve("cluster.key"), peers, heap, extraArgs)
          .withExtraArgs(List.of("--s3-port", Integer.toString(ports[i][3]))));
    }
    return specs;
  }

  /** First port of the range {@link #freePort} hands out; the range ends below Linux's ephemeral ports. */
  static final int PORT_BASE = 20_000;
  static final int PORT_SPAN = 12_000;
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
      new java.util.concurrent.atomic.AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % PORT_SPAN));

  /**
   * A port on 127.0.0.1 nothing listens on right now, for a server started a moment later. Taken from
   * 20000-31999, below the kernel's ephemeral range (32768 and up): a port the kernel hands out for
   * {@code bind(0)} can be given to an outgoing connection (an HTTP or Raft client) before the server
   * that was meant to have it binds, which made node starts fail with "address in use". Ports are
   * handed out in turn from a per-process offset, so two launches in one process, or two processes,
   * do not pick the same one.
   */
  public static int freePort() {
    for (int tries = 0; tries < PORT_SPAN; tries++) {
      int port = PORT_BASE + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_SPAN);
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (java.io.IOException inUse) {
        // Taken; try the next one.
      }
    }
    throw new IllegalStateException("no free port in " + PORT_BASE + "-" + (PORT_BASE + PORT_SPAN - 1));
  }

  /** Prints the last {@code lines} lines of every node's log (when a test or benchmark fails). */
  public void dumpLogs(java.io.PrintStream out, int lines) {
    for (NodeSpec s : specs) {
      try {
        List<String> all = java.nio.file.Files.readAllLines(s.logFile());
        out.println("==== node " + s.nodeId() + " log (last " + lines + " lines) ====");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
      } catch (java.io.IOException e) {
        out.println("no log for node " + s.nodeId() + ": " + e);
      }
    }
  }

  /** Deletes a directory tree, best effort (temp space). */
  public static void deleteTree(Path p) {
    try (var walk = java.nio.file.Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException ignored) {
      // Best effort: temp space.
    }
  }

  public List<NodeSpec> specs() {
    return List.copyOf(specs);
  }

  /**
   * The spec of a node that joins this running cluster: the next id, fresh free ports, the same flags
   * as node 1 (its S3 port replaced), and as peers the cluster's peers plus itself, which is what
   * {@code cairn server} needs to find the leader and ask to be added.
   */
  public NodeSpec joiningSpec(Path dataDir) {
    NodeSpec first = specs.get(0);
    int id = specs.size() + 1;
    int raftPort = freePort();
    Map<Integer, String> peers = new HashMap<>(first.peers());
    peers.put(id, first.host() + ":" + raftPort);
    List<String> args = new ArrayList<>(first.extraArgs());
    int s3 = args.indexOf("--s3-port");
    if (s3 >= 0) {
      args.remove(s3 + 1);
      args.remove(s3);
      args.addAll(List.of("--s3-port", Integer.toString(freePort())));
    }
    return new NodeSpec(id, first.host(), freePort(), freePort(), raftPort, dataDir.resolve("node-" + id),
        first.masterKeyFile(), peers, first.heap(), args);
  }

  /** Starts a node that joins the running cluster (see {@link #joiningSpec}); returns its id. */
  public int join(NodeSpec spec) {
    if (spec.nodeId() != specs.size() + 1) {
      throw new IllegalArgumentException("a joining node takes the next id, " + (specs.size() + 1));
    }
    specs.add(spec);
    start(spec.nodeId());
    return spec.nodeId();
  }

  /** Creates the shared key if needed (before any node starts, so they cannot race) and starts every node. */
  public void startAll() {
    MasterKey.loadOrCreate(specs.get(0).masterKeyFile());
    for (NodeSpec s : specs) {
      start(s.nodeId());
    }
  }

  public void start(int nodeId) {
    NodeSpec s = specs.get(nodeId - 1);
    running.put(nodeId, NodeProcess.start(s, parentWatch));
  }

  public NodeProcess process(int nodeId) {
    return running.get(nodeId);
  }

  /** SIGKILL one node. */
  public void kill(int nodeId) {
    NodeProcess p = running.remove(nodeId);
    if (p != null) {
      p.kill();
    }
  }

  /**
   * Waits until every started node answers /readyz and the cluster endpoint shows a leader and every node
   * ALIVE. Returns the leader's id; throws IllegalStateException with the reason on timeout.
   */
  public int awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no node answered yet";
    while (System.nanoTime() < deadline) {
      for (NodeProcess p : running.values()) {
        if (!p.alive()) {
          throw new IllegalStateException("node " + p.spec().nodeId() + " exited with code " + p.exitCode()
              + "; see " + p.log());
        }
      }
      try {
        int leader = readyLeader();
        if (leader > 0) {
          return leader;
        }
        last = "waiting for every node to be ready and ALIVE";
      } catch (Exception e) {
        last = e.toString();
      }
      sleep(200);
    }
    throw new IllegalStateException("cluster not ready after " + timeout.toSeconds() + " s: " + last);
  }

  private int readyLeader() throws Exception {
    for (NodeProcess p : running.values()) {
      if (get(p.spec().httpUrl() + "/readyz").statusCode() != 200) {
        return 0;
      }
    }
    NodeSpec first = running.values().iterator().next().spec();
    JsonNode cluster = Json.MAPPER.readTree(get(first.httpUrl() + "/api/v1/cluster").body());
    int alive = 0;
    for (JsonNode n : cluster.path("nodes")) {
      if ("ALIVE".equals(n.path("state").asText()) && running.containsKey(n.path("id").asInt())) {
        alive++;
      }
    }
    return alive == running.size() ? cluster.path("leader").asInt() : 0;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGTERM to every node at once, then wait for each (SIGKILL after the timeout). */
  public void stopAll(int timeoutSeconds) {
    for (NodeProcess p : running.values()) {
      p.signalStop();
    }
    for (NodeProcess p : running.values()) {
      p.stop(timeoutSeconds);
    }
    running.clear();
  }

  @Override
  public void close() {
    stopAll(30);
    http.close();
  }
}
