package io.cairn.server.cluster;

import io.cairn.cluster.BalancePlanner;
import io.cairn.common.ChunkRef;
import io.cairn.common.FileRecord;
import io.cairn.meta.FileScan;
import io.cairn.meta.MetaStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the metadata lists on each node: stored bytes and chunk count per node, and every chunk with its
 * replicas. Taken from this node's applied state (no Raft round trip), so it counts a moved replica as
 * gone from its old node at once, even before that node's orphan sweep frees the disk space.
 */
final class ReplicaCensus {
  private static final int SCAN_PAGE = 1000;

  /** A chunk of a file version: what the rebalancer needs to switch its replica list through Raft. */
  record Entry(FileRecord file, ChunkRef chunk) {}

  private final Map<Integer, Long> bytes = new HashMap<>();
  private final Map<Integer, Long> chunks = new HashMap<>();
  private final List<BalancePlanner.Chunk<Entry>> all = new ArrayList<>();

  private ReplicaCensus() {}

  static ReplicaCensus take(MetaStore meta) {
    ReplicaCensus c = new ReplicaCensus();
    String cursor = null;
    do {
      FileScan page = meta.scanFilesLocal(cursor, SCAN_PAGE);
      for (FileRecord f : page.files()) {
        for (ChunkRef ref : f.chunks()) {
          c.all.add(new BalancePlanner.Chunk<>(new Entry(f, ref), ref.storedLength(), ref.replicas()));
          for (int node : ref.replicas()) {
            c.bytes.merge(node, (long) ref.storedLength(), Long::sum);
            c.chunks.merge(node, 1L, Long::sum);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return c;
  }

  long bytesOn(int node) {
    return bytes.getOrDefault(node, 0L);
  }

  long chunksOn(int node) {
    return chunks.getOrDefault(node, 0L);
  }

  List<BalancePlanner.Chunk<Entry>> chunks() {
    return all;
  }
}
