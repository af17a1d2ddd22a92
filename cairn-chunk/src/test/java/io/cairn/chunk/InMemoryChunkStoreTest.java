package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;

import io.cairn.common.ErrorCode;
import org.junit.jupiter.api.Test;

class InMemoryChunkStoreTest extends ChunkStoreContract {
  @Override
  protected ChunkStore newStore(long capacityBytes) {
    return new InMemoryChunkStore(capacityBytes);
  }

  @Override
  protected void corrupt(ChunkStore s, String chunkId) {
    ((InMemoryChunkStore) s).corrupt(chunkId);
  }

  @Test
  void capacityMustBePositive() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> new InMemoryChunkStore(0));
  }

  @Test
  void corruptNeedsAStoredNonEmptyChunk() {
    InMemoryChunkStore s = new InMemoryChunkStore();
    assertFails(ErrorCode.NOT_FOUND, () -> s.corrupt("chunk-0001"));
    put(s, "chunk-0001", new byte[0]);
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> s.corrupt("chunk-0001"));
  }
}
