package io.cairn.meta;

import java.util.List;

/** A chunk no file references any more, and the nodes that may still hold a copy. */
public record ChunkDeletion(String chunkId, List<Integer> replicas, long queuedMillis) {
  public ChunkDeletion {
    replicas = List.copyOf(replicas);
  }
}
