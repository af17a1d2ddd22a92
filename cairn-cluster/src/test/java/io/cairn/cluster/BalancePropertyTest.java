package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The balance statistics and the rebalancing planner as properties: a random cluster (chunks placed at
 * random on distinct nodes, plus a new empty node, optionally with zones), then the planner's moves are
 * applied and checked.
 */
class BalancePropertyTest {
  static final long MIB = 1 << 20;

  record Cluster(List<Balance.Node> nodes, List<BalancePlanner.Chunk<Integer>> chunks) {}

  /** {@code n} old nodes holding {@code chunks} random chunks of replication 3, plus one empty node. */
  static Cluster cluster(int n, int chunks, int zones, long seed, boolean sameSize) {
    Random rnd = new Random(seed);
    int total = n + 1;
    long[] used = new long[total + 1];
    List<BalancePlanner.Chunk<Integer>> list = new ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      List<Integer> ids = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        ids.add(i);
      }
      java.util.Collections.shuffle(ids, rnd);
      List<Integer> replicas = ids.subList(0, 3);
      long size = sameSize ? 4 * MIB : (1 + rnd.nextInt(8)) * MIB;
      replicas.forEach(id -> used[id] += size);
      list.add(new BalancePlanner.Chunk<>(c, size, replicas));
    }
    List<Balance.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      nodes.add(new Balance.Node(i, zones == 0 ? "" : "z" + (i % zones), 1L << 40, used[i]));
    }
    return new Cluster(nodes, list);
  }

  @Property
  void capacityWeightedDeviationsSumToZero(@ForAll @IntRange(min = 1, max = 10) int n,
      @ForAll @LongRange(min = 0) long seed) {
    Random rnd = new Random(seed);
    List<Balance.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add(new Balance.Node(i, "", (1L + rnd.nextInt(8)) << 30, rnd.nextInt(1 << 30)));
    }
    double mean = Balance.meanUtilization(nodes);
    double weighted = nodes.stream().mapToDouble(x -> Balance.deviation(x, mean) * x.capacityBytes()).sum();
    double totalCap = nodes.stream().mapToDouble(Balance.Node::capacityBytes).sum();
    assertThat(weighted / totalCap).isCloseTo(0.0, within(1e-9));
    assertThat(Balance.maxDeviation(nodes)).isGreaterThanOrEqualTo(Balance.stddev(nodes) - 1e-12);
  }

  @Property(tries = 200)
  void movesKeepEveryPlacementInvariantAndNeverWorsenTheBalance(@ForAll @IntRange(min = 3, max = 7) int n,
      @ForAll @IntRange(min = 0, max = 300) int chunks, @ForAll @IntRange(min = 0, max = 4) int zones,
      @ForAll @LongRange(min = 0) long seed) {
    Cluster c = cluster(n, chunks, zones, seed, false);
    List<BalancePlanner.Move<Integer>> plan = BalancePlanner.plan(c.nodes(), c.chunks(), 0.05, 100_000);
    Map<Integer, String> zoneOf = new HashMap<>();
    c.nodes().forEach(x -> zoneOf.put(x.nodeId(), x.zone()));
    Map<Integer, List<Integer>> replicas = new HashMap<>();
    c.chunks().forEach(x -> replicas.put(x.ref(), new ArrayList<>(x.replicas())));
    Set<Integer> movedOnce = new HashSet<>();
    for (BalancePlanner.Move<Integer> m : plan) {
      List<Integer> r = replicas.get(m.chunk().ref());
      assertThat(movedOnce.add(m.chunk().ref())).as("a chunk moves at most once per plan").isTrue();
      assertThat(r).contains(m.from()).doesNotContain(m.to());
      long zonesBefore = r.stream().map(zoneOf::get).distinct().count();
      r.set(r.indexOf(m.from()), m.to());
      assertThat(r).doesNotHaveDuplicates().hasSize(3);
      assertThat(r.stream().map(zoneOf::get).distinct().count()).isGreaterThanOrEqualTo(zonesBefore);
    }
    assertThat(Balance.maxDeviation(apply(c, plan))).isLessThanOrEqualTo(Balance.maxDeviation(c.nodes()) + 1e-12);
  }

  /** Without zones and with chunks small next to each node's share, the plan reaches ±5 % of the mean. */
  @Property(tries = 100)
  void anEmptyNodeIsFilledToWithinToleranceOfTheMean(@ForAll @IntRange(min = 3, max = 7) int n,
      @ForAll @IntRange(min = 100, max = 600) int chunks, @ForAll @LongRange(min = 0) long seed) {
    Assume.that(chunks * 3 / (n + 1) >= 60); // a chunk is at most ~2 % of a node's fair share
    Cluster c = cluster(n, chunks, 0, seed, true);
    List<BalancePlanner.Move<Integer>> plan = BalancePlanner.plan(c.nodes(), c.chunks(), 0.05, 100_000);
    List<Balance.Node> after = apply(c, plan);
    assertThat(Balance.maxDeviation(after)).as("%s", after).isLessThanOrEqualTo(0.05);
    // No more bytes move than the new node needs plus what evening out the random start takes.
    long moved = plan.stream().mapToLong(m -> m.chunk().size()).sum();
    long total = c.nodes().stream().mapToLong(Balance.Node::usedBytes).sum();
    assertThat(moved).isLessThanOrEqualTo(total / (n + 1) + total / 10);
  }

  @Property
  void aBalancedClusterNeedsNoMoves(@ForAll @IntRange(min = 1, max = 8) int n,
      @ForAll @IntRange(min = 1, max = 50) int chunksPerNode) {
    List<Balance.Node> nodes = new ArrayList<>();
    List<BalancePlanner.Chunk<Integer>> chunks = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add(new Balance.Node(i, "", 1L << 40, chunksPerNode * MIB));
      for (int k = 0; k < chunksPerNode; k++) {
        chunks.add(new BalancePlanner.Chunk<>(i * 1000 + k, MIB, List.of(i)));
      }
    }
    assertThat(BalancePlanner.plan(nodes, chunks, 0.05, 1000)).isEmpty();
  }

  static List<Balance.Node> apply(Cluster c, List<BalancePlanner.Move<Integer>> plan) {
    Map<Integer, Long> used = new HashMap<>();
    c.nodes().forEach(x -> used.put(x.nodeId(), x.usedBytes()));
    for (BalancePlanner.Move<Integer> m : plan) {
      used.merge(m.from(), -m.chunk().size(), Long::sum);
      used.merge(m.to(), m.chunk().size(), Long::sum);
    }
    List<Balance.Node> out = new ArrayList<>();
    c.nodes().forEach(x -> out.add(new Balance.Node(x.nodeId(), x.zone(), x.capacityBytes(), used.get(x.nodeId()))));
    return out;
  }
}
