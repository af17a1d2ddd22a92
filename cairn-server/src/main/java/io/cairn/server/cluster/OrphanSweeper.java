package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.chunk.StoredChunk;
import io.cairn.common.CairnException;
import io.cairn.meta.ChunkLocation;
import io.cairn.meta.MetaStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes local chunks that this node should no longer hold: unreferenced by any file (left by an upload
 * that crashed before its commit, or deleted while this node was down) or no longer listed on this node
 * (replaced by healing while this node was dead: an over-replicated, stale copy). Only chunks older than
 * the grace period are considered, since an upload's chunks are legitimately unlisted until it commits.
 * The check is a linearizable metadata read, so a listed replica of a committed file is never removed.
 *
 * <p>A chunk that a file still references but no longer lists on this node (moved away by the
 * rebalancer, or replaced by healing) gets a second grace period counted from the sweep that first saw
 * it unlisted: a reader that fetched the file record just before the switch may still come for it.
 */
public final class OrphanSweeper {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
  private static final int BATCH = 500;

  private final MetaStore meta;
  private final ChunkStore store;
  private final ClusterConfig config;
  private final Clock clock;
  /** Chunk id -> when a sweep first found it referenced but no longer listed on this node. */
  private Map<String, Long> unlistedSince = new HashMap<>();

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
    long now = clock.millis();
    Map<String, Long> stillUnlisted = new HashMap<>();
    try {
      for (int i = 0; i < old.size(); i += BATCH) {
        List<String> batch = old.subList(i, Math.min(old.size(), i + BATCH));
        Map<String, List<Integer>> listed = new HashMap<>();
        for (ChunkLocation loc : meta.locate(batch)) {
          listed.put(loc.chunk().chunkId(), loc.chunk().replicas());
        }
        for (String id : batch) {
          List<Integer> replicas = listed.get(id);
          if (replicas != null && replicas.contains(meta.selfId())) {
            continue;
          }
          if (replicas != null) {
            long since = unlistedSince.getOrDefault(id, now);
            stillUnlisted.put(id, since);
            if (now - since < config.orphanGrace().toMillis()) {
              continue; // moved away recently: keep it for readers holding the old replica list
            }
          }
          if (store.delete(id)) {
            removed++;
            stillUnlisted.remove(id);
          }
        }
      }
    } catch (CairnException e) {
      log.info("orphan sweep stopped early: {}", e.getMessage());
      stillUnlisted.putAll(unlistedSince); // keep what this sweep did not get to look at
    }
    unlistedSince = stillUnlisted;
    if (removed > 0) {
      log.info("removed {} chunk(s) that no file lists on this node any more", removed);
    }
    return removed;
  }
}
