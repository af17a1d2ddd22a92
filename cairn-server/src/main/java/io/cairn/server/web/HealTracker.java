package io.cairn.server.web;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns the healer's "bytes remaining" gauge into progress. Healing has no fixed total (a second node
 * may fail mid-way), so progress is measured against the largest backlog seen since it was last zero:
 * {@code 100 * (peak - remaining) / peak}. Likewise the rate is how fast the backlog shrank between the
 * last two readings. Both are null while no node exports the gauge.
 *
 * <p>Thread-safe; the lock guards the three fields only (no I/O under it).
 */
final class HealTracker {
  private final ReentrantLock lock = new ReentrantLock();
  private double peak;
  private Double lastRemaining;
  private long lastAtMillis;
  private Double rate;

  /** Records a reading taken at {@code atMillis}; returns progress 0-100, or null when unknown. */
  Double progress(Double remaining, long atMillis) {
    lock.lock();
    try {
      if (remaining == null) {
        lastRemaining = null;
        rate = null;
        return null;
      }
      if (lastRemaining != null && atMillis > lastAtMillis) {
        double shrunk = lastRemaining - remaining;
        rate = Figures.round(Math.max(0, shrunk) * 1000.0 / (atMillis - lastAtMillis));
      }
      lastRemaining = remaining;
      lastAtMillis = atMillis;
      if (remaining <= 0) {
        peak = 0;
        return 100.0;
      }
      peak = Math.max(peak, remaining);
      return Figures.round(100.0 * (peak - remaining) / peak);
    } finally {
      lock.unlock();
    }
  }

  /** Bytes healed per second between the last two readings; null before two readings. */
  Double bytesPerSecond() {
    lock.lock();
    try {
      return rate;
    } finally {
      lock.unlock();
    }
  }
}
