package io.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Invariants of chunk placement and read ordering, over many random clusters. */
class PlacementTest {
  static final long SEED = System.nanoTime();
  final SplittableRandom rnd = new SplittableRandom(SEED);

  List<NodeLoad> randomCluster(int n, int zones) {
    List<NodeLoad> nodes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      long cap = (1 + rnd.nextInt(4)) * (1L << 40);
      long used = rnd.nextLong(cap);
      nodes.add(new NodeLoad(i, zones == 0 ? "" : "z" + (i % zones), used, cap - used, rnd.nextInt(10)));
    }
    return nodes;
  }

  @RepeatedTest(200)
  void targetsAreDistinctNodesWithRoomAndSpanAsManyZonesAsExist() {
    int n = 1 + rnd.nextInt(9);
    int zones = rnd.nextInt(4);
    List<NodeLoad> nodes = randomCluster(n, zones);
    long size = 1 + rnd.nextLong(8L << 20);
    List<Integer> t = Placement.chooseTargets("c" + rnd.nextLong(), size, nodes, 3);
    assertThat(t).as("seed %d", SEED).doesNotHaveDuplicates().hasSize(Math.min(3, n));
    Map<Integer, NodeLoad> byId = new HashMap<>();
    nodes.forEach(x -> byId.put(x.nodeId(), x));
    assertThat(t).allMatch(id -> byId.get(id).freeBytes() >= size);
    long zonesAvailable = nodes.stream().map(NodeLoad::zone).distinct().count();
    long zonesUsed = t.stream().map(id -> byId.get(id).zone()).distinct().count();
    assertThat(zonesUsed).as("seed %d", SEED).isEqualTo(Math.min(t.size(), zonesAvailable));
  }

  @Test
  void fullNodesAreSkipped() {
    List<NodeLoad> nodes = List.of(new NodeLoad(1, "", 100, 10, 0), new NodeLoad(2, "", 0, 1000, 0),
        new NodeLoad(3, "", 0, 1000, 0));
    assertThat(Placement.chooseTargets("c", 50, nodes, 3)).containsExactlyInAnyOrder(2, 3);
    assertThat(Placement.chooseTargets("c", 5000, nodes, 3)).isEmpty();
  }

  @Test
  void bytesFollowCapacity() {
    long[] cap = {1L << 40, 2L << 40, 4L << 40, 1L << 40};
    long[] used = new long[4];
    for (int c = 0; c < 20_000; c++) {
      List<NodeLoad> nodes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        nodes.add(new NodeLoad(i + 1, "", used[i], cap[i] - used[i], 0));
      }
      for (int id : Placement.chooseTargets("c" + c, 8L << 20, nodes, 2)) {
        used[id - 1] += 8L << 20;
      }
    }
    for (int i = 0; i < 4; i++) {
      assertThat((double) used[i] / cap[i]).isCloseTo((double) used[0] / cap[0],
          org.assertj.core.data.Percentage.withPercentage(1));
    }
  }

  @Test
  void equalNodesShareChunksEvenlyThroughTheHashTieBreak() {
    Map<Integer, Integer> firstChoice = new HashMap<>();
    List<NodeLoad> nodes = List.of(new NodeLoad(1, "", 0, 1L << 40, 0), new NodeLoad(2, "", 0, 1L << 40, 0),
        new NodeLoad(3, "", 0, 1L << 40, 0), new NodeLoad(4, "", 0, 1L << 40, 0));
    for (int c = 0; c < 4000; c++) {
      firstChoice.merge(Placement.chooseTargets("chunk-" + c, 1, nodes, 1).get(0), 1, Integer::sum);
    }
    assertThat(firstChoice.values()).allMatch(v -> v > 850 && v < 1150);
  }

  @Test
  void readsPreferTheLocalReplicaThenTheLeastLoaded() {
    Map<Integer, Integer> inflight = Map.of(1, 5, 2, 0, 3, 9);
    assertThat(Placement.readOrder("c", List.of(1, 2, 3), 3, inflight::get)).containsExactly(3, 2, 1);
    assertThat(Placement.readOrder("c", List.of(1, 2, 3), 7, inflight::get)).containsExactly(2, 1, 3);
    assertThat(new HashSet<>(Placement.readOrder("c", List.of(4, 5), 1, id -> 0))).containsExactlyInAnyOrder(4, 5);
  }
}
