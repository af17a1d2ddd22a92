package io.cairn.server.cluster;

/**
 * Replication health as one node sees it from its applied metadata.
 *
 * @param underReplicatedChunks chunks with fewer live replicas than the replication factor
 * @param lostChunks chunks with no live replica at all (unreadable until a node comes back)
 * @param bytesRemaining stored bytes still to copy to restore every replica
 * @param healedBytes bytes copied by healing since this node started leading (0 on followers)
 * @param rateBytesPerSecond recent rate at which the missing bytes went down
 * @param etaSeconds remaining / rate, or -1 when nothing is left or no progress was measured
 */
public record HealStatus(long underReplicatedChunks, long lostChunks, long bytesRemaining, long healedBytes,
    double rateBytesPerSecond, double etaSeconds) {
  public static final HealStatus EMPTY = new HealStatus(0, 0, 0, 0, 0, -1);
}
