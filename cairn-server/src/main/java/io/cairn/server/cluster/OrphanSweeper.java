package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.chunk.StoredChunk;
import io.cairn.common.CairnException;
import io.cairn.meta.MetaStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes local chunks that no file references: left by an upload that crashed before its commit, or
 * by a delete while this node was down. Only chunks older than the grace period are considered, since
 * an upload's chunks are legitimately unreferenced until it commits. The reference check is a
 * linearizable metadata read, so a chunk of a committed file is never taken for an orphan.
 */
public final class OrphanSweeper {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
  private static final int BATCH = 500;

  private final MetaStore meta;
  private final ChunkStore store;
  private final ClusterConfig config;
  private final Clock clock;

  public OrphanSweeper(MetaStore meta, ChunkStore store, ClusterConfig config, Clock clock) {
    this.meta = meta;
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  /** One sweep; returns how many chunks were removed. */
  public int sweep() {
    long cutoff = clock.millis() - config.orphanGrace().toMillis();
    List<String> old = new ArrayList<>();
    for (StoredChunk c : store.list()) {
      if (c.modifiedMillis() < cutoff) {
        old.add(c.chunkId());
      }
    }
    int removed = 0;
    try {
      for (int i = 0; i < old.size(); i += BATCH) {
        Set<String> orphans = meta.unreferenced(old.subList(i, Math.min(old.size(), i + BATCH)));
        for (String id : orphans) {
          removed += store.delete(id) ? 1 : 0;
        }
      }
    } catch (CairnException e) {
      log.info("orphan sweep stopped early: {}", e.getMessage());
    }
    if (removed > 0) {
      log.info("removed {} orphaned chunk(s) that no file references", removed);
    }
    return removed;
  }
}
