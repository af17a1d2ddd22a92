package io.cairn.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses which nodes receive a chunk and which replica serves a read. Pure functions of their inputs.
 *
 * <p><b>Writes.</b> Candidates with room for the chunk are ranked by utilization after the write (least
 * full first), so bytes flow to the emptiest nodes and nodes of different capacities fill at the same
 * rate. Ties (common on a fresh cluster) are broken by a rendezvous hash of (chunk id, node id), which
 * spreads equal nodes evenly without coordination between uploading nodes. Zones: a node whose zone is
 * already used is taken only when no node in a new zone is left, so replicas span as many failure
 * domains as exist.
 *
 * <p><b>Reads.</b> The local replica when there is one, otherwise the live replica with the fewest
 * requests in flight (hash tie-break so equal nodes share the load).
 */
public final class Placement {
  private Placement() {}

  /**
   * Up to {@code count} distinct node ids for a new chunk of {@code size} bytes, best first. Returns fewer
   * when fewer nodes have room; the caller decides whether that meets its write quorum.
   */
  public static List<Integer> chooseTargets(String chunkId, long size, List<NodeLoad> candidates, int count) {
    List<NodeLoad> ranked = new ArrayList<>();
    for (NodeLoad n : candidates) {
      if (n.freeBytes() >= size) {
        ranked.add(n);
      }
    }
    ranked.sort(Comparator.comparingDouble((NodeLoad n) -> utilizationAfter(n, size))
        .thenComparingLong(n -> -mix(chunkId, n.nodeId())));
    List<Integer> chosen = new ArrayList<>();
    Set<String> zones = new HashSet<>();
    // First pass: one node per zone; second pass: fill from the remaining nodes in rank order.
    for (NodeLoad n : ranked) {
      if (chosen.size() < count && zones.add(n.zone())) {
        chosen.add(n.nodeId());
      }
    }
    for (NodeLoad n : ranked) {
      if (chosen.size() < count && !chosen.contains(n.nodeId())) {
        chosen.add(n.nodeId());
      }
    }
    return chosen;
  }

  /** Orders the replicas of a chunk for reading: local first, then least loaded. */
  public static List<Integer> readOrder(String chunkId, List<Integer> replicas, int localNodeId,
      java.util.function.IntUnaryOperator inflight) {
    List<Integer> order = new ArrayList<>(replicas);
    order.sort(Comparator.comparingInt((Integer id) -> id == localNodeId ? 0 : 1)
        .thenComparingInt(inflight::applyAsInt)
        .thenComparingLong(id -> -mix(chunkId, id)));
    return order;
  }

  private static double utilizationAfter(NodeLoad n, long size) {
    long total = n.usedBytes() + n.freeBytes();
    return total <= 0 ? 1.0 : (double) (n.usedBytes() + size) / total;
  }

  /** A 64-bit mix of (key, node) for rendezvous tie-breaks; stable across JVMs (no String.hashCode seed issues). */
  static long mix(String key, int nodeId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= nodeId * 0x9E3779B97F4A7C15L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
