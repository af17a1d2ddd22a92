package io.cairn.server.files;

import io.cairn.chunk.ChunkCipher;
import io.cairn.cluster.Placement;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.cluster.ChunkTransport;
import io.cairn.server.cluster.ClusterMap;
import io.cairn.server.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one chunk: from the cache, else from its replicas in read order (local first, then least
 * loaded), verifying the stored bytes against the CRC32C in metadata and authenticating them with
 * AES-GCM. A replica that fails either check is reported (so healing can replace it) and the next one
 * is tried; only when every replica fails does the read fail.
 */
public final class ChunkFetcher {
  private static final Logger log = LoggerFactory.getLogger(ChunkFetcher.class);

  private final ClusterMap cluster;
  private final ChunkTransport transport;
  private final ChunkCache cache;
  private final Consumer<BadReplica> badReplicas;
  private final ChunkCipher cipher = new ChunkCipher();
  private final Metrics metrics;

  ChunkFetcher(ClusterMap cluster, ChunkTransport transport, ChunkCache cache,
      Consumer<BadReplica> badReplicas, Metrics metrics) {
    this.metrics = metrics;
    this.cluster = cluster;
    this.transport = transport;
    this.cache = cache;
    this.badReplicas = badReplicas;
  }

  /** A replica that could not serve a valid copy of a chunk. */
  public record BadReplica(String chunkId, int nodeId, ErrorCode reason) {}

  byte[] plaintext(String fileId, byte[] dataKey, ChunkRef chunk) {
    byte[] cached = cache.get(chunk.chunkId());
    if (cached != null) {
      return cached;
    }
    List<String> failures = new ArrayList<>();
    long decided = System.nanoTime();
    List<Integer> order = readOrder(chunk);
    metrics.loadBalancingDuration.observe((System.nanoTime() - decided) / 1e9);
    metrics.loadBalancingDecisions.inc();
    for (int node : order) {
      try {
        byte[] sealed = transport.readVerified(node, chunk);
        byte[] plain = cipher.open(dataKey, fileId, chunk.index(), sealed, sealed.length);
        cache.put(chunk.chunkId(), plain);
        metrics.nodeSelection.labelValues(cluster.nodeLabel(node)).inc();
        return plain;
      } catch (CairnException e) {
        failures.add("node " + node + ": " + e.getMessage());
        if (e.code() == ErrorCode.CHECKSUM_MISMATCH || e.code() == ErrorCode.NOT_FOUND) {
          log.warn("replica of chunk {} on node {} is unusable ({}); trying another", chunk.chunkId(), node,
              e.getMessage());
          badReplicas.accept(new BadReplica(chunk.chunkId(), node, e.code()));
        } else {
          log.info("replica of chunk {} on node {} unavailable ({}); trying another", chunk.chunkId(), node,
              e.getMessage());
        }
      }
    }
    throw new CairnException(ErrorCode.UNAVAILABLE,
        "no replica could serve chunk " + chunk.chunkId() + " " + failures);
  }

  /** Live replicas in preference order, then replicas on nodes not known to be alive (last resort). */
  private List<Integer> readOrder(ChunkRef chunk) {
    List<Integer> ordered = Placement.readOrder(chunk.chunkId(), chunk.replicas(), cluster.selfId(),
        cluster::inflight);
    List<Integer> live = new ArrayList<>();
    List<Integer> doubtful = new ArrayList<>();
    for (int id : ordered) {
      (isAlive(id) ? live : doubtful).add(id);
    }
    live.addAll(doubtful);
    return live;
  }

  private boolean isAlive(int id) {
    for (NodeInfo n : cluster.nodes()) {
      if (n.id() == id) {
        return n.state() == NodeState.ALIVE;
      }
    }
    return false;
  }

}
