package io.cairn.server.cluster;

import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.meta.ChunkLocation;
import io.cairn.meta.MetaStore;
import io.cairn.server.metrics.Metrics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one listed replica that turned out missing or corrupt (found by a read or by the scrubber)
 * by copying verified bytes from another replica onto the same node. The replica list does not change,
 * so no metadata write is needed; the healer handles replicas on dead nodes instead.
 */
public final class ReplicaRepairer {
  private static final Logger log = LoggerFactory.getLogger(ReplicaRepairer.class);

  private final MetaStore meta;
  private final ChunkTransport transport;
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
  private final AtomicLong found = new AtomicLong();
  private final AtomicLong repaired = new AtomicLong();

  public ReplicaRepairer(MetaStore meta, ChunkTransport transport, Metrics metrics) {
    this.meta = meta;
    this.transport = transport;
    metrics.counterFrom("cairn_corrupt_replicas_found_total", "Replicas found missing or corrupt", found::get);
    metrics.counterFrom("cairn_repaired_replicas_total", "Missing or corrupt replicas restored", repaired::get);
  }

  /** Records a bad replica and repairs it in the background (once at a time per chunk and node). */
  public void repairLater(String chunkId, int node) {
    found.incrementAndGet();
    String job = chunkId + "@" + node;
    if (!inProgress.add(job)) {
      return;
    }
    Thread.ofVirtual().name("cairn-cluster-repair").start(() -> {
      try {
        repairNow(chunkId, node);
      } finally {
        inProgress.remove(job);
      }
    });
  }

  /** Repairs synchronously; true when the node holds a good copy again. */
  public boolean repairNow(String chunkId, int node) {
    List<ChunkLocation> where = meta.locate(List.of(chunkId));
    if (where.isEmpty() || !where.get(0).chunk().replicas().contains(node)) {
      return false; // No longer referenced, or no longer expected on that node: nothing to restore.
    }
    ChunkRef c = where.get(0).chunk();
    try {
      byte[] sealed = transport.readFromAny(c, node);
      transport.write(node, chunkId, sealed, c.crc32c());
      repaired.incrementAndGet();
      log.info("replica of chunk {} on node {} restored from another replica", chunkId, node);
      return true;
    } catch (CairnException e) {
      log.warn("could not restore chunk {} on node {}: {}", chunkId, node, e.getMessage());
      return false;
    }
  }
}
