package io.cairn.chunk;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks chosen by key hash. Serializes work on one chunk id (put versus delete versus
 * quarantine) without one lock per id and without a global lock. ReentrantLock rather than
 * {@code synchronized} because the holder does blocking file I/O, which would pin a virtual thread.
 */
final class StripedLocks {
  private final ReentrantLock[] locks;

  StripedLocks(int stripes) {
    locks = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  ReentrantLock forKey(String key) {
    return locks[Math.floorMod(key.hashCode(), locks.length)];
  }
}
