package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.common.CairnException;
import io.cairn.common.FileRecord;
import io.cairn.common.ListQuery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three replicas in one JVM, one story told in order: replication and linearizable reads, leader
 * failover, a restarted node catching up from the log, a node that missed more than the retained log
 * catching up through a snapshot, a write with a majority down failing in time, and a full restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class MetaClusterTest {
  private static final Logger LOG = LoggerFactory.getLogger(MetaClusterTest.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
  private static final int SNAPSHOT_EVERY = 100;
  /** Small log segments so that purging really drops entries a stopped follower still needs. */
  private static final Consumer<RaftProperties> SMALL_SEGMENTS = p -> {
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("16KB"));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("16KB"));
  };

  @TempDir
  static Path dir;
  final Map<Integer, String> peers = new TreeMap<>();
  final RatisMetaStore[] nodes = new RatisMetaStore[4];
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> written = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startCluster() throws IOException {
    for (int id = 1; id <= 3; id++) {
      peers.put(id, "127.0.0.1:" + freePort());
    }
    parallel(List.of(1, 2, 3), this::start);
  }

  @AfterAll
  void stopCluster() {
    parallel(List.of(1, 2, 3), this::stop);
  }

  @Test
  @Order(1)
  void writeThroughOneNodeIsReadLinearizablyThroughAnother() {
    awaitLeader();
    FileRecord f = Fixtures.file("photos", "2024/cat.jpg", "v1", 3);
    assertThat(nodes[1].putFile(f, true)).isEmpty();
    written.add(f.key());
    assertThat(nodes[3].file("photos", "2024/cat.jpg")).contains(f);
    assertThat(nodes[2].list(new ListQuery("photos", "2024/", "", 10, null)).files()).hasSize(1);
    assertThat(nodes[3].buckets()).extracting(BucketInfo::name).containsExactly("photos");

    assertThatThrownBy(() -> nodes[2].putFile(Fixtures.file("photos", "2024/cat.jpg", "v2", 1), true))
        .isInstanceOfSatisfying(CairnException.class,
            e -> assertThat(e.code()).isEqualTo(io.cairn.common.ErrorCode.ALREADY_EXISTS));
    assertThatThrownBy(() -> nodes[3].list(new ListQuery("nope", "", "", 10, null)))
        .isInstanceOfSatisfying(CairnException.class,
            e -> assertThat(e.code()).isEqualTo(io.cairn.common.ErrorCode.NO_SUCH_BUCKET));
    assertThatThrownBy(() -> nodes[1].deleteBucket("photos")).isInstanceOfSatisfying(CairnException.class,
        e -> assertThat(e.code()).isEqualTo(io.cairn.common.ErrorCode.BUCKET_NOT_EMPTY));

    for (int id = 1; id <= 3; id++) {
      nodes[id].registerNode(Fixtures.node(id));
    }
    assertThat(nodes[2].cluster().nodes()).hasSize(3);
    assertThat(nodes[2].cluster().leaderId()).isEqualTo(leader().selfId());
    measureCommitLatency();
  }

  @Test
  @Order(2)
  void newLeaderIsElectedWhenTheLeaderStops() {
    int old = awaitLeader().selfId();
    events.clear();
    long t0 = System.nanoTime();
    stop(old);
    long stopped = System.nanoTime();
    int other = old % 3 + 1;
    String key = "after-failover";
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreException(CairnException.class)
        .until(() -> nodes[other].putFile(Fixtures.file("photos", key, "v1", 1), false) != null);
    written.add(key);
    LOG.info("failover: leader {} closed in {} ms; first write committed {} ms after the close returned",
        old, ms(stopped - t0), ms(System.nanoTime() - stopped));
    RatisMetaStore leader = awaitLeader();
    assertThat(leader.selfId()).isNotEqualTo(old);
    assertThat(events).anyMatch(e -> e.equals("node " + other + " sees leader " + leader.selfId()));
    assertThat(events).anyMatch(e -> e.startsWith("node ") && e.contains(" campaigns for term "));

    // The old leader comes back as a follower and catches up from the log.
    start(old);
    await().atMost(Duration.ofSeconds(30)).until(() -> localFile(old, key).isPresent());
    assertThat(nodes[old].nodesLocal()).hasSize(3);
    assertThat(nodes[old].stateMachine().snapshotsInstalled()).isZero();
  }

  @Test
  @Order(3)
  void followerThatMissedThePurgedLogCatchesUpThroughASnapshot() throws Exception {
    int leader = awaitLeader().selfId();
    int follower = leader % 3 + 1;
    stop(follower);
    int writer = 6 - leader - follower; // the third node: writes go through a follower's client too
    int n = 3 * SNAPSHOT_EVERY + 50;
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = "bulk/" + i;
        fs.add(pool.submit(() -> nodes[writer].putFile(Fixtures.file("bulk", key, "v" + key, 2), false)));
        written.add(key);
        if (fs.size() == 32) {
          for (Future<?> f : fs) {
            f.get();
          }
          fs.clear();
        }
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    long took = ms(System.nanoTime() - t0);
    LOG.info("{} puts with up to 32 in flight through a follower's client (one node down): {} ms, {} commits/s",
        n, took, n * 1000 / Math.max(1, took));
    String last = "bulk/" + (n - 1);
    start(follower);
    await().atMost(Duration.ofSeconds(40)).until(() -> localFile(follower, last).isPresent());
    assertThat(nodes[follower].stateMachine().snapshotsInstalled())
        .as("the follower was behind the purged log, so it must have installed a snapshot").isPositive();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      long leaderApplied = nodes[leader].localDb().lastApplied().index();
      assertThat(nodes[follower].localDb().lastApplied().index()).isGreaterThanOrEqualTo(leaderApplied);
    });
    for (String key : written) {
      assertThat(localFile(follower, key)).as(key).isPresent();
    }
    // And it takes part again: a new write reaches it.
    nodes[follower].putFile(Fixtures.file("bulk", "after-install", "v1", 1), false);
    written.add("after-install");
    await().atMost(Duration.ofSeconds(10)).until(() -> localFile(follower, "after-install").isPresent());
  }

  @Test
  @Order(4)
  void writeWithMajorityDownFailsInTimeWithARetryableError() {
    int survivor = awaitLeader().selfId() % 3 + 1;
    List<Integer> down = IntStream.rangeClosed(1, 3).filter(i -> i != survivor).boxed().toList();
    parallel(down, this::stop);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> nodes[survivor].createBucket("never"))
        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.retryable()).as(e.toString()).isTrue());
    long took = ms(System.nanoTime() - t0);
    LOG.info("write with a majority down failed after {} ms", took);
    assertThat(took).isLessThan(REQUEST_TIMEOUT.toMillis() + 1500);
    t0 = System.nanoTime();
    assertThatThrownBy(() -> nodes[survivor].buckets())
        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(ms(System.nanoTime() - t0)).isLessThan(REQUEST_TIMEOUT.toMillis() + 1500);
    assertThat(nodes[survivor].nodesLocal()).as("local reads still work").hasSize(3);
  }

  @Test
  @Order(5)
  void wholeClusterRestartKeepsAllData() throws IOException {
    parallel(List.of(1, 2, 3), this::stop);
    // Node 1 also loses its RocksDB (as if its unsynced writes were gone): it must rebuild from its
    // latest snapshot plus the log.
    deleteTree(dir.resolve("node1").resolve("meta-db"));
    parallel(List.of(1, 2, 3), this::start);
    awaitLeader();
    RatisMetaStore any = nodes[2];
    await().atMost(Duration.ofSeconds(30)).ignoreException(CairnException.class)
        .until(() -> any.file("photos", "after-failover").isPresent());
    assertThat(any.buckets()).extracting(BucketInfo::name).containsExactly("bulk", "photos");
    int bulk = 0;
    String cursor = null;
    do {
      var page = any.list(new ListQuery("bulk", "", "", 1000, cursor));
      bulk += page.files().size();
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(bulk).isEqualTo(written.stream().filter(k -> k.startsWith("bulk/") || k.equals("after-install"))
        .count());
    assertThat(any.cluster().nodes()).hasSize(3);
    assertThat(any.buckets()).noneMatch(b -> b.name().equals("never"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String key : written) {
        assertThat(localFile(1, key)).as(key).isPresent();
      }
    });
    assertThat(nodes[1].nodesLocal()).hasSize(3);
  }

  /** Sequential commit latency through the leader's and a follower's client (logged, not asserted). */
  private void measureCommitLatency() {
    RatisMetaStore leader = leader();
    RatisMetaStore follower = nodes[leader.selfId() % 3 + 1];
    // Two rounds each: the first round after start-up is markedly slower (JIT, connection set-up).
    for (RatisMetaStore via : List.of(leader, follower, leader, follower)) {
      long[] lat = new long[50];
      for (int i = 0; i < lat.length; i++) {
        long t = System.nanoTime();
        via.createBucket("lat-" + i);
        lat[i] = System.nanoTime() - t;
      }
      Arrays.sort(lat);
      LOG.info("commit latency via {} (node {}), {} sequential writes: p50 {} ms, max {} ms",
          via == leader ? "leader" : "follower", via.selfId(), lat.length, lat[lat.length / 2] / 1e6,
          lat[lat.length - 1] / 1e6);
      for (int i = 0; i < lat.length; i++) {
        via.deleteBucket("lat-" + i);
      }
    }
  }

  private void start(int id) {
    var config = new MetaConfig(id, dir.resolve("node" + id), "127.0.0.1", peers, Duration.ofMillis(1000),
        Duration.ofMillis(2000), REQUEST_TIMEOUT, SNAPSHOT_EVERY);
    nodes[id] = RatisMetaStore.start(config, SMALL_SEGMENTS);
    nodes[id].addListener(new RaftListener() {
      @Override
      public void leaderChanged(int leaderId, long term) {
        events.add("node " + id + " sees leader " + leaderId);
      }

      @Override
      public void electionStarted(long term) {
        events.add("node " + id + " campaigns for term " + term);
      }
    });
  }

  private void stop(int id) {
    if (nodes[id] != null) {
      nodes[id].close();
      nodes[id] = null;
    }
  }

  private RatisMetaStore leader() {
    for (RatisMetaStore n : nodes) {
      if (n != null && n.isLeader()) {
        return n;
      }
    }
    return null;
  }

  private RatisMetaStore awaitLeader() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      RatisMetaStore l = leader();
      return l != null && Arrays.stream(nodes).allMatch(n -> n == null || n.leaderId() == l.selfId());
    });
    return leader();
  }

  private Optional<FileRecord> localFile(int id, String key) {
    String bucket = key.startsWith("bulk/") || key.equals("after-install") ? "bulk" : "photos";
    var r = MetaQueries.run(nodes[id].localDb(), new MetaOp.GetFile(bucket, key));
    return Optional.ofNullable(r.expect(MetaResult.FileResult.class).file());
  }

  private static void parallel(List<Integer> ids, Consumer<Integer> action) {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      ids.forEach(id -> fs.add(pool.submit(() -> action.accept(id))));
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
