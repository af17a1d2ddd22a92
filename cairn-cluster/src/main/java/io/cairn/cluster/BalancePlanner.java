package io.cairn.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans replica moves that bring every node's utilization within a tolerance of the mean. Pure: the
 * rebalancer feeds it the nodes (from the registry and the metadata's replica lists) and the chunks,
 * then carries out the moves.
 *
 * <p>Greedy, one move at a time on a simulated state: take the most utilized node that is outside the
 * tolerance (or the most utilized node at all when an under-filled node is the outlier) and the least
 * utilized one, and move one chunk from the first to the second when that lowers the larger of their
 * two deviations, so no move can overshoot and the plan cannot oscillate. A move keeps every invariant
 * of placement: the target does not yet hold the chunk, has room for it, and the chunk's replicas span
 * at least as many zones afterwards as before. Each chunk moves at most once per plan.
 */
public final class BalancePlanner {
  private BalancePlanner() {}

  /** A chunk as the planner sees it; {@code ref} is the caller's handle (file, index) carried through. */
  public record Chunk<R>(R ref, long size, List<Integer> replicas) {
    public Chunk {
      replicas = List.copyOf(replicas);
    }
  }

  /** Move {@code chunk}'s replica from node {@code from} to node {@code to}. */
  public record Move<R>(Chunk<R> chunk, int from, int to) {}

  /**
   * Moves that bring every node within {@code tolerance} (relative deviation, e.g. 0.05) of the mean,
   * at most {@code maxMoves} of them; empty when the nodes are already within it. Chunks listing a node
   * that is not in {@code nodes} are never moved (their replicas are healing's business).
   */
  public static <R> List<Move<R>> plan(List<Balance.Node> nodes, List<Chunk<R>> chunks, double tolerance,
      int maxMoves) {
    Map<Integer, Balance.Node> state = new LinkedHashMap<>();
    nodes.forEach(n -> state.put(n.nodeId(), n));
    Map<Integer, List<Chunk<R>>> onNode = new HashMap<>();
    for (Chunk<R> c : chunks) {
      if (state.keySet().containsAll(c.replicas())) {
        c.replicas().forEach(id -> onNode.computeIfAbsent(id, k -> new ArrayList<>()).add(c));
      }
    }
    // Largest chunks first: fewer moves for the same bytes; smaller ones still fit the last gaps.
    onNode.values().forEach(l -> l.sort(Comparator.comparingLong((Chunk<R> c) -> -c.size())));
    double mean = Balance.meanUtilization(nodes);
    List<Move<R>> moves = new ArrayList<>();
    Set<Chunk<R>> moved = new HashSet<>();
    while (moves.size() < maxMoves && !within(state.values(), mean, tolerance)) {
      Move<R> m = nextMove(state, onNode, moved, mean);
      if (m == null) {
        break; // no move improves matters (chunks too big for the gap, or zones forbid it)
      }
      apply(state, onNode, m);
      moved.add(m.chunk());
      moves.add(m);
    }
    return moves;
  }

  /** True when every node's |deviation| is at most {@code tolerance}. */
  public static boolean within(Iterable<Balance.Node> nodes, double mean, double tolerance) {
    for (Balance.Node n : nodes) {
      if (Math.abs(Balance.deviation(n, mean)) > tolerance) {
        return false;
      }
    }
    return true;
  }

  private static <R> Move<R> nextMove(Map<Integer, Balance.Node> state, Map<Integer, List<Chunk<R>>> onNode,
      Set<Chunk<R>> moved, double mean) {
    List<Balance.Node> byUtil = new ArrayList<>(state.values());
    byUtil.sort(Comparator.comparingDouble(Balance.Node::utilization).thenComparingInt(Balance.Node::nodeId));
    // Try the fullest sources against the emptiest targets; the first improving move wins.
    for (int s = byUtil.size() - 1; s > 0; s--) {
      Balance.Node src = byUtil.get(s);
      for (int t = 0; t < s; t++) {
        Balance.Node dst = byUtil.get(t);
        if (dst.utilization() >= src.utilization()) {
          break;
        }
        Move<R> m = bestChunk(src, dst, state, onNode.getOrDefault(src.nodeId(), List.of()), moved, mean);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  private static <R> Move<R> bestChunk(Balance.Node src, Balance.Node dst, Map<Integer, Balance.Node> state,
      List<Chunk<R>> candidates, Set<Chunk<R>> moved, double mean) {
    double before = Math.max(Math.abs(Balance.deviation(src, mean)), Math.abs(Balance.deviation(dst, mean)));
    for (Chunk<R> c : candidates) {
      if (moved.contains(c) || c.replicas().contains(dst.nodeId())
          || dst.capacityBytes() - dst.usedBytes() < c.size()) {
        continue;
      }
      Balance.Node src2 = new Balance.Node(src.nodeId(), src.zone(), src.capacityBytes(), src.usedBytes() - c.size());
      Balance.Node dst2 = new Balance.Node(dst.nodeId(), dst.zone(), dst.capacityBytes(), dst.usedBytes() + c.size());
      double after = Math.max(Math.abs(Balance.deviation(src2, mean)), Math.abs(Balance.deviation(dst2, mean)));
      if (after < before - 1e-12 && zonesKept(c, src.nodeId(), dst.nodeId(), state)) {
        return new Move<>(c, src.nodeId(), dst.nodeId());
      }
    }
    return null;
  }

  /** The chunk's replicas span at least as many distinct zones after the move as before. */
  static <R> boolean zonesKept(Chunk<R> c, int from, int to, Map<Integer, Balance.Node> state) {
    Set<String> before = new HashSet<>();
    Set<String> after = new HashSet<>();
    for (int id : c.replicas()) {
      before.add(state.get(id).zone());
      after.add(id == from ? state.get(to).zone() : state.get(id).zone());
    }
    return after.size() >= before.size();
  }

  private static <R> void apply(Map<Integer, Balance.Node> state, Map<Integer, List<Chunk<R>>> onNode,
      Move<R> m) {
    long size = m.chunk().size();
    Balance.Node src = state.get(m.from());
    Balance.Node dst = state.get(m.to());
    state.put(src.nodeId(), new Balance.Node(src.nodeId(), src.zone(), src.capacityBytes(), src.usedBytes() - size));
    state.put(dst.nodeId(), new Balance.Node(dst.nodeId(), dst.zone(), dst.capacityBytes(), dst.usedBytes() + size));
    onNode.getOrDefault(m.from(), new ArrayList<>()).remove(m.chunk());
  }
}
