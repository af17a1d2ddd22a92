package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.cairn.common.ByteSize;
import io.cairn.server.Node;
import io.cairn.server.NodeConfig;
import io.cairn.server.cluster.ClusterConfig;
import io.cairn.server.files.FilesConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Every seed metric family moving on its real code path, in three real nodes inside this JVM (each with its
 * own registry), scraped over HTTP from /metrics: sharding, replication, load balancing and cache on uploads
 * and downloads; Raft leader changes and elections; node failures, recoveries and failed replica writes when
 * a node stops; heartbeat failures when the leader stops. Chunks are 1 MiB so files stay small.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMetricsTest {
  static final int MIB = 1 << 20;
  static final int NODES = 3;
  static Path dir;
  static final NodeConfig[] configs = new NodeConfig[NODES + 1];
  static final Node[] nodes = new Node[NODES + 1];
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws IOException {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    dir = Files.createTempDirectory("cairn-metrics-");
    int[][] ports = new int[NODES + 1][3];
    Map<Integer, String> peers = new HashMap<>();
    for (int i = 1; i <= NODES; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = freePort();
      }
      peers.put(i, "127.0.0.1:" + ports[i][2]);
    }
    FilesConfig files = new FilesConfig(ByteSize.ofMiB(1), 3, 2, ByteSize.ofMiB(32), 2, Duration.ofSeconds(20),
        ByteSize.ofKiB(4));
    ClusterConfig cluster = new ClusterConfig(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofHours(1),
        Duration.ofHours(1), Duration.ofSeconds(2), 4, 200L << 20, 16L << 20);
    for (int i = 1; i <= NODES; i++) {
      configs[i] = new NodeConfig(i, dir.resolve("node-" + i), "127.0.0.1", "127.0.0.1", ports[i][0], ports[i][1],
          ports[i][2], peers, dir.resolve("cluster.key"), ByteSize.ofGiB(4), "", 1L << 30, Duration.ofSeconds(1),
          Duration.ofSeconds(2), files, cluster, 0);
      nodes[i] = Node.start(configs[i]);
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (int i = 1; i <= NODES; i++) {
        if (!nodes[i].ready() || scrape(i).value("active_nodes_count") < NODES) {
          return false;
        }
      }
      return true;
    });
  }

  @AfterAll
  static void stop() {
    for (int i = 1; i <= NODES; i++) {
      if (nodes[i] != null) {
        nodes[i].close();
      }
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temp space
    }
  }

  static Scrape scrape(int node) throws Exception {
    return Scrape.parse(http.send(HttpRequest.newBuilder(URI.create(url(node) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  static String url(int node) {
    return "http://127.0.0.1:" + configs[node].httpPort();
  }

  static int put(int node, String key, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url(node) + "/api/v1/files/metrics/" + key))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static byte[] get(int node, String key) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url(node) + "/api/v1/files/metrics/" + key))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static int leader() throws Exception {
    for (int i = 1; i <= NODES; i++) {
      if (nodes[i] != null && scrape(i).value("cairn_raft_is_leader") == 1) {
        return i;
      }
    }
    return 0;
  }

  @Test
  @Order(1)
  void everyNodeExportsEverySeedName() throws Exception {
    // Per-node series (node_selection_count{node_ip}) appear once the node's membership loop has seen
    // every registered node, a moment after registration.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
      for (int i = 1; i <= NODES; i++) {
        Scrape s = scrape(i);
        for (String name : SeedMetrics.NAMES) {
          assertThat(s.hasFamily(name) || s.hasFamily(name + "_count")).as("node %d exports %s", i, name).isTrue();
        }
      }
    });
  }

  @Test
  @Order(2)
  void anUploadIsShardedReplicatedAndPlaced() throws Exception {
    Scrape before = scrape(1);
    int size = 2 * MIB + MIB / 2;
    assertThat(put(1, "upload.bin", bytes(size, 1))).isEqualTo(201);
    Scrape after = scrape(1);

    assertThat(delta(before, after, "shards_created_total")).isEqualTo(3);
    assertThat(delta(before, after, "shard_size_bytes_count")).isEqualTo(3);
    assertThat(delta(before, after, "shard_size_bytes_sum")).isEqualTo(size);
    assertThat(delta(before, after, "shard_size_bytes_bucket", "le", "1048576.0")).isEqualTo(3);
    assertThat(delta(before, after, "shard_size_bytes_bucket", "le", "262144.0")).isZero();
    assertThat(delta(before, after, "replicated_chunks_total")).isEqualTo(3);
    assertThat(delta(before, after, "replicated_files_total")).isEqualTo(1);
    assertThat(delta(before, after, "replication_attempts_total", "status", "success")).isEqualTo(9);
    assertThat(delta(before, after, "replication_attempts_total", "status", "failed")).isZero();
    assertThat(delta(before, after, "replication_duration_seconds_count")).isEqualTo(3);
    assertThat(delta(before, after, "load_balancing_decisions_total")).isEqualTo(3);
    assertThat(delta(before, after, "load_balancing_duration_seconds_count")).isEqualTo(3);
    for (int i = 1; i <= NODES; i++) {
      assertThat(delta(before, after, "node_selection_count", "node_ip", "127.0.0.1:" + configs[i].httpPort()))
          .as("node %d holds one replica of each chunk", i).isEqualTo(3);
    }
    assertThat(delta(before, after, "metadata_replications_total", "status", "success")).isGreaterThanOrEqualTo(1);
    assertThat(delta(before, after, "file_uploads_total", "status", "success")).isEqualTo(1);
    assertThat(delta(before, after, "cairn_peer_requests_total", "op", "put_chunk", "status", "success")).isEqualTo(6);
    assertThat(after.value("cairn_disk_used_bytes")).isGreaterThanOrEqualTo(size);
  }

  @Test
  @Order(3)
  void onlyRepeatedReadsHitTheCache() throws Exception {
    assertThat(put(1, "cached.bin", bytes(2 * MIB, 2))).isEqualTo(201);
    Scrape s0 = scrape(2);
    get(2, "cached.bin");
    Scrape s1 = scrape(2);
    assertThat(delta(s0, s1, "cache_misses_total")).isEqualTo(2);
    assertThat(delta(s0, s1, "cache_hits_total")).isZero();
    assertThat(delta(s0, s1, "load_balancing_decisions_total")).as("one replica choice per chunk read").isEqualTo(2);
    assertThat(delta(s0, s1, "file_downloads_total", "status", "success")).isEqualTo(1);
    assertThat(s1.value("cache_size")).isGreaterThanOrEqualTo(2 * MIB);
    assertThat(s1.value("cache_capacity")).isEqualTo(32 * MIB);

    get(2, "cached.bin");
    Scrape s2 = scrape(2);
    assertThat(delta(s1, s2, "cache_hits_total")).isEqualTo(2);
    assertThat(delta(s1, s2, "cache_misses_total")).isZero();
    assertThat(delta(s1, s2, "load_balancing_decisions_total")).as("a cached chunk needs no replica").isZero();
  }

  @Test
  @Order(4)
  void raftLeadershipIsCountedOnEveryNode() throws Exception {
    double elections = 0;
    int leaders = 0;
    for (int i = 1; i <= NODES; i++) {
      Scrape s = scrape(i);
      assertThat(s.value("raft_leader_changes_total")).as("node %d saw the first leader", i).isGreaterThanOrEqualTo(1);
      assertThat(s.value("cairn_raft_has_leader")).isEqualTo(1);
      elections += s.value("raft_elections_total");
      leaders += (int) s.value("cairn_raft_is_leader");
      assertThat(s.value("heartbeat_checks_total")).isPositive();
      assertThat(s.value("cairn_raft_commit_duration_seconds_count")).isPositive();
    }
    assertThat(elections).isGreaterThanOrEqualTo(1);
    assertThat(leaders).isEqualTo(1);
  }

  @Test
  @Order(5)
  void aStoppedNodeFailsReplicaWritesThenIsCountedDeadAndBackAlive() throws Exception {
    int leader = leader();
    int follower = leader == NODES ? 1 : NODES;
    int other = 6 - leader - follower;
    Scrape leaderBefore = scrape(leader);
    Scrape otherBefore = scrape(other);
    Node stopping = nodes[follower];
    nodes[follower] = null;
    CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> !listening(configs[follower].internalPort()));

    // Still ALIVE in the registry, so placement picks it and the write to it fails.
    assertThat(put(leader, "while-stopping.bin", bytes(MIB / 2, 3))).isEqualTo(201);
    Scrape leaderAfter = scrape(leader);
    assertThat(delta(leaderBefore, leaderAfter, "replication_attempts_total", "status", "failed")).isEqualTo(1);
    assertThat(delta(leaderBefore, leaderAfter, "replication_attempts_total", "status", "success")).isEqualTo(2);
    assertThat(delta(leaderBefore, leaderAfter, "cairn_peer_requests_total", "op", "put_chunk", "status", "failed"))
        .isEqualTo(1);

    closed.get();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (int n : new int[] {leader, other}) {
        Scrape s = scrape(n);
        assertThat(s.value("active_nodes_count")).isEqualTo(2);
        assertThat(s.value("total_nodes_count")).isEqualTo(3);
      }
      assertThat(delta(otherBefore, scrape(other), "node_failures_total")).isEqualTo(1);
      assertThat(delta(leaderBefore, scrape(leader), "node_failures_total")).isEqualTo(1);
    });

    nodes[follower] = Node.start(configs[follower]);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(delta(otherBefore, scrape(other), "node_recoveries_total")).isEqualTo(1);
      assertThat(delta(leaderBefore, scrape(leader), "node_recoveries_total")).isEqualTo(1);
      assertThat(scrape(leader).value("active_nodes_count")).isEqualTo(3);
    });
  }

  @Test
  @Order(6)
  void stoppingTheLeaderChangesLeaderStartsElectionsAndFailsHeartbeats() throws Exception {
    int leader = leader();
    assertThat(leader).isPositive();
    Map<Integer, Scrape> before = new HashMap<>();
    for (int i = 1; i <= NODES; i++) {
      if (i != leader) {
        before.put(i, scrape(i));
      }
    }
    nodes[leader].close();
    nodes[leader] = null;
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      double elections = 0;
      double heartbeatFailures = 0;
      int leaders = 0;
      for (Map.Entry<Integer, Scrape> e : before.entrySet()) {
        Scrape now = scrape(e.getKey());
        assertThat(delta(e.getValue(), now, "raft_leader_changes_total")).as("node %d", e.getKey())
            .isGreaterThanOrEqualTo(1);
        elections += delta(e.getValue(), now, "raft_elections_total");
        heartbeatFailures += delta(e.getValue(), now, "heartbeat_failures_total");
        leaders += (int) now.value("cairn_raft_is_leader");
      }
      assertThat(elections).isGreaterThanOrEqualTo(1);
      assertThat(heartbeatFailures).isGreaterThanOrEqualTo(1);
      assertThat(leaders).isEqualTo(1);
    });
  }

  static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    return io.cairn.server.launch.LocalCluster.freePort();
  }
}
