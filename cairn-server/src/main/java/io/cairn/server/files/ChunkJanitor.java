package io.cairn.server.files;

import io.cairn.server.cluster.ChunkTransport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the chunks of an upload that failed before its commit, in the background. Best effort: a
 * node that is down keeps its copy until the orphan sweep on that node finds it unreferenced.
 */
final class ChunkJanitor {
  private static final Logger log = LoggerFactory.getLogger(ChunkJanitor.class);

  private final ChunkTransport transport;

  ChunkJanitor(ChunkTransport transport) {
    this.transport = transport;
  }

  void deleteLater(List<UploadState.Stored> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    Thread.ofVirtual().name("cairn-files-janitor").start(() -> {
      int removed = 0;
      for (UploadState.Stored s : chunks) {
        for (int node : s.nodes()) {
          removed += transport.remove(node, s.chunkId()) ? 1 : 0;
        }
      }
      log.info("removed {} replica(s) of {} chunk(s) left by a failed upload", removed, chunks.size());
    });
  }
}
