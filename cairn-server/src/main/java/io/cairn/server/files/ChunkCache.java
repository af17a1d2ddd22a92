package io.cairn.server.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decrypted chunk data, weighed in bytes (Caffeine's W-TinyLFU keeps the frequently read chunks).
 *
 * <p>Chunk ids are unique per file version (a new upload never reuses one), so an entry can never be
 * stale: after an overwrite or delete, the metadata lookup no longer leads to the old ids. Invalidation
 * on delete only returns the memory early.
 */
public final class ChunkCache {
  private final Cache<String, byte[]> cache;
  private final long capacityBytes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  public ChunkCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(capacityBytes)
        .weigher((String k, byte[] v) -> v.length + k.length() + 64)
        // Evict on the caller's thread: with the default (a pool), a burst of reads can push the cache past
        // its capacity before eviction catches up, which a node with a small heap cannot afford.
        .executor(Runnable::run)
        .build();
  }

  public byte[] get(String chunkId) {
    byte[] v = capacityBytes == 0 ? null : cache.getIfPresent(chunkId);
    (v == null ? misses : hits).increment();
    return v;
  }

  public void put(String chunkId, byte[] plain) {
    if (capacityBytes > 0 && plain.length <= capacityBytes / 4) {
      cache.put(chunkId, plain);
    }
  }

  public void invalidate(Iterable<String> chunkIds) {
    cache.invalidateAll(chunkIds);
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  /** Bytes currently held (approximate, as weighed). */
  public long sizeBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }

  public long capacityBytes() {
    return capacityBytes;
  }
}
