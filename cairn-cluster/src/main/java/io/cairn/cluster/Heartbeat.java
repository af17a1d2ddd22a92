package io.cairn.cluster;

/**
 * What a node tells the leader every heartbeat interval.
 *
 * @param nodeId sender
 * @param usedBytes chunk bytes stored
 * @param freeBytes bytes it still accepts
 * @param inflight requests being served
 * @param sentMillis sender's clock when sent
 */
public record Heartbeat(int nodeId, long usedBytes, long freeBytes, int inflight,
    long sentMillis) {}
