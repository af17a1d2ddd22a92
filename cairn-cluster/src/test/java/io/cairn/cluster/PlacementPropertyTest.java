package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Placement invariants as properties: jqwik generates the clusters and shrinks any counterexample. */
class PlacementPropertyTest {
  static final long UNIT = 8L << 20;

  @Provide
  Arbitrary<List<NodeLoad>> clusters() {
    Arbitrary<NodeLoad> node = Combinators.combine(
        Arbitraries.integers().between(0, 3), // zone index, 0 = unlabelled when zones are off
        Arbitraries.longs().between(1, 4),    // capacity in TiB
        Arbitraries.doubles().between(0, 1),  // fill fraction
        Arbitraries.integers().between(0, 20)).as((z, tib, fill, inflight) -> {
          long cap = tib << 40;
          long used = (long) (cap * fill);
          return new NodeLoad(0, "z" + z, used, cap - used, inflight);
        });
    return node.list().ofMinSize(1).ofMaxSize(9).map(PlacementPropertyTest::numbered);
  }

  static List<NodeLoad> numbered(List<NodeLoad> nodes) {
    List<NodeLoad> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeLoad n = nodes.get(i);
      out.add(new NodeLoad(i + 1, n.zone(), n.usedBytes(), n.freeBytes(), n.inflight()));
    }
    return out;
  }

  @Property
  void targetsAreDistinctNodesWithRoom(@ForAll("clusters") List<NodeLoad> nodes,
      @ForAll @LongRange(min = 1, max = 64L << 20) long size, @ForAll @IntRange(min = 1, max = 5) int count,
      @ForAll @LongRange(min = 0) long chunkSeed) {
    List<Integer> t = Placement.chooseTargets("c" + chunkSeed, size, nodes, count);
    long withRoom = nodes.stream().filter(n -> n.freeBytes() >= size).count();
    assertThat(t).doesNotHaveDuplicates().hasSize((int) Math.min(count, withRoom));
    Map<Integer, NodeLoad> byId = byId(nodes);
    assertThat(t).allMatch(id -> byId.get(id).freeBytes() >= size);
  }

  @Property
  void targetsSpanAsManyZonesAsThereAre(@ForAll("clusters") List<NodeLoad> nodes,
      @ForAll @IntRange(min = 1, max = 5) int count, @ForAll @LongRange(min = 0) long chunkSeed) {
    List<Integer> t = Placement.chooseTargets("c" + chunkSeed, UNIT, nodes, count);
    Map<Integer, NodeLoad> byId = byId(nodes);
    long zonesWithRoom = nodes.stream().filter(n -> n.freeBytes() >= UNIT).map(NodeLoad::zone).distinct().count();
    Set<String> used = new HashSet<>();
    t.forEach(id -> used.add(byId.get(id).zone()));
    assertThat(used).hasSize((int) Math.min(t.size(), zonesWithRoom));
  }

  /**
   * Filling empty nodes of different capacities chunk by chunk (each placement sees the bytes placed so
   * far, as heartbeats report them) leaves each node's bytes proportional to its capacity: every node
   * within 2 % of the mean utilization, given enough chunks and no node so large that it would need more
   * than one replica of each chunk to keep up.
   */
  @Property(tries = 60)
  void bytesAreWeightedByCapacity(@ForAll("capacities") List<Long> capacitiesInUnits,
      @ForAll @IntRange(min = 1, max = 3) int replication) {
    long total = capacitiesInUnits.stream().mapToLong(Long::longValue).sum();
    long largest = capacitiesInUnits.stream().mapToLong(Long::longValue).max().orElse(0);
    Assume.that(capacitiesInUnits.size() >= replication && largest * replication <= total);
    long[] used = new long[capacitiesInUnits.size()];
    int chunks = (int) (total / 3 / replication); // fill to about a third
    for (int c = 0; c < chunks; c++) {
      List<NodeLoad> loads = new ArrayList<>();
      for (int i = 0; i < used.length; i++) {
        long cap = capacitiesInUnits.get(i) * UNIT;
        loads.add(new NodeLoad(i + 1, "", used[i], cap - used[i], 0));
      }
      for (int id : Placement.chooseTargets("chunk-" + c, UNIT, loads, replication)) {
        used[id - 1] += UNIT;
      }
    }
    List<Balance.Node> nodes = new ArrayList<>();
    for (int i = 0; i < used.length; i++) {
      nodes.add(new Balance.Node(i + 1, "", capacitiesInUnits.get(i) * UNIT, used[i]));
    }
    assertThat(Balance.maxDeviation(nodes)).as("%s", nodes).isLessThanOrEqualTo(0.02);
  }

  @Provide
  Arbitrary<List<Long>> capacities() {
    return Arbitraries.longs().between(200, 800).list().ofMinSize(3).ofMaxSize(8);
  }

  private static Map<Integer, NodeLoad> byId(List<NodeLoad> nodes) {
    Map<Integer, NodeLoad> m = new HashMap<>();
    nodes.forEach(n -> m.put(n.nodeId(), n));
    return m;
  }
}
