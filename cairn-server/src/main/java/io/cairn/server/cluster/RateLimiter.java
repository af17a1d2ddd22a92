package io.cairn.server.cluster;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A byte-rate limit for background work (healing, scrubbing): callers take permits for the bytes they
 * are about to move and are parked until the budget allows it. Allows a burst of one second.
 * Guarded by a ReentrantLock (virtual-thread friendly); the lock is never held while parked.
 */
final class RateLimiter {
  private final long bytesPerSecond;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private double available;
  private long lastMillis;

  RateLimiter(long bytesPerSecond, Clock clock) {
    this.bytesPerSecond = bytesPerSecond;
    this.clock = clock;
    this.available = bytesPerSecond;
    this.lastMillis = clock.millis();
  }

  void acquire(long bytes) {
    long waitMillis;
    lock.lock();
    try {
      long now = clock.millis();
      available = Math.min(bytesPerSecond, available + (now - lastMillis) * bytesPerSecond / 1000.0);
      lastMillis = now;
      available -= bytes;
      waitMillis = available >= 0 ? 0 : (long) (-available * 1000 / bytesPerSecond);
    } finally {
      lock.unlock();
    }
    if (waitMillis > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMillis));
    }
  }
}
