package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.chunk.StoredChunk;
import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.meta.FileScan;
import io.cairn.meta.MetaStore;
import io.cairn.server.metrics.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's own integrity check, in two parts per round:
 *
 * <ul>
 *   <li><b>Inventory:</b> every chunk the metadata lists on this node must be on disk; a missing one is
 *       restored from another replica.
 *   <li><b>Verification:</b> local chunk files are re-read in turn, at most {@code scrubBytesPerSecond}
 *       on average, and their CRC32C checked. The store quarantines a corrupt file; the scrubber then
 *       restores a good copy from another replica.
 * </ul>
 *
 * Runs on one scheduler thread.
 */
public final class Scrubber {
  private static final Logger log = LoggerFactory.getLogger(Scrubber.class);

  private final MetaStore meta;
  private final ChunkStore store;
  private final ReplicaRepairer repairer;
  private final long bytesPerRound;
  private final int selfId;
  private final AtomicLong verified = new AtomicLong();
  private int position;

  public Scrubber(MetaStore meta, ChunkStore store, ReplicaRepairer repairer, long bytesPerSecond,
      Duration interval, int selfId, Metrics metrics) {
    this.meta = meta;
    this.store = store;
    this.repairer = repairer;
    this.bytesPerRound = bytesPerSecond * Math.max(1, interval.toMillis()) / 1000;
    this.selfId = selfId;
    metrics.counterFrom("cairn_scrub_chunks_verified_total", "Local chunks re-read and verified", verified::get);
  }

  public void tick() {
    checkInventory();
    if (bytesPerRound > 0) {
      verifySome();
    }
  }

  private void checkInventory() {
    int missing = 0;
    String cursor = null;
    do {
      FileScan page = meta.scanFilesLocal(cursor, 1000);
      for (FileRecord f : page.files()) {
        for (ChunkRef c : f.chunks()) {
          if (c.replicas().contains(selfId) && !store.contains(c.chunkId())) {
            missing++;
            repairer.repairNow(c.chunkId(), selfId);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    if (missing > 0) {
      log.warn("{} chunk(s) listed on this node were missing from disk; restored from other replicas", missing);
    }
  }

  private void verifySome() {
    List<StoredChunk> all = store.list();
    if (all.isEmpty()) {
      return;
    }
    long budget = bytesPerRound;
    for (int n = 0; n < all.size() && budget > 0; n++) {
      position = (position + 1) % all.size();
      StoredChunk c = all.get(position);
      budget -= c.length();
      try {
        store.read(c.chunkId());
        verified.incrementAndGet();
      } catch (CairnException e) {
        if (e.code() == ErrorCode.CHECKSUM_MISMATCH) {
          log.warn("scrub found chunk {} corrupt on this node; restoring it from another replica", c.chunkId());
          repairer.repairLater(c.chunkId(), selfId);
        }
      }
    }
  }
}
