package io.cairn.server.cluster;

import io.cairn.chunk.ChunkStore;
import io.cairn.cluster.PeerClient;
import io.cairn.common.CairnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes one replica of a chunk, locally or on a peer. The one place chunk deletions are carried out. */
public final class ChunkRemover {
  private static final Logger log = LoggerFactory.getLogger(ChunkRemover.class);

  private final ClusterMap cluster;
  private final ChunkStore localStore;
  private final PeerClient peers;

  public ChunkRemover(ClusterMap cluster, ChunkStore localStore, PeerClient peers) {
    this.cluster = cluster;
    this.localStore = localStore;
    this.peers = peers;
  }

  /**
   * Removes the replica on {@code node}. True when it is gone (deleted now or already absent); false when
   * the node could not be asked, so the caller may retry later.
   */
  public boolean remove(int node, String chunkId) {
    try {
      if (node == cluster.selfId()) {
        localStore.delete(chunkId);
      } else {
        peers.deleteChunk(cluster.node(node).internalAddress(), chunkId);
      }
      return true;
    } catch (CairnException e) {
      log.debug("could not remove chunk {} from node {}: {}", chunkId, node, e.getMessage());
      return false;
    }
  }
}
