package io.cairn.meta;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the metadata (Raft) module.
 *
 * @param selfId this node's id; must be a key of {@code peers}
 * @param dir directory for the Raft log, snapshots and the RocksDB state
 * @param bindHost host the Raft server binds to
 * @param peers every voter: node id -> advertised Raft address (host:port)
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param requestTimeout how long a client call waits before failing with TIMEOUT
 * @param snapshotEveryEntries take a snapshot after this many applied entries
 */
public record MetaConfig(
    int selfId,
    Path dir,
    String bindHost,
    Map<Integer, String> peers,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long snapshotEveryEntries) {
  public MetaConfig {
    requireNonNull(dir, "dir");
    requireNonNull(bindHost, "bindHost");
    peers = Map.copyOf(new TreeMap<>(peers));
    if (!peers.containsKey(selfId)) {
      throw new IllegalArgumentException("peers " + peers.keySet() + " must include this node " + selfId);
    }
    if (electionTimeoutMin.compareTo(electionTimeoutMax) >= 0) {
      throw new IllegalArgumentException("electionTimeoutMin must be < electionTimeoutMax");
    }
    if (snapshotEveryEntries < 100) {
      throw new IllegalArgumentException("snapshotEveryEntries must be >= 100");
    }
  }

  public static MetaConfig of(int selfId, Path dir, Map<Integer, String> peers) {
    return new MetaConfig(selfId, dir, "127.0.0.1", peers, Duration.ofMillis(1000), Duration.ofMillis(2000),
        Duration.ofSeconds(10), 10_000);
  }
}
