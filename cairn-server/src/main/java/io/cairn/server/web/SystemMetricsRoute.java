package io.cairn.server.web;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.javalin.Javalin;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /api/system-metrics}: reads every node's metrics and answers {@link SystemMetricsReport}.
 *
 * <p><b>Coalescing.</b> Each dashboard polls every few seconds and each poll reads every node, so
 * answers younger than {@link #FRESH_MILLIS} are reused, and concurrent polls wait for the one scrape
 * in progress instead of starting their own. The lock is held across that scrape on purpose (it is the
 * single-flight); the scrape is bounded by {@link NodeScraper#TIMEOUT}.
 *
 * <p><b>Rates.</b> Recent scrapes are kept for {@link #KEEP_MILLIS}; the baseline for rates is the
 * newest one at least {@link #WINDOW_MILLIS} old (or the oldest kept, while the history is shorter).
 */
final class SystemMetricsRoute {
  static final String PATH = "/api/system-metrics";
  static final long FRESH_MILLIS = 1_000;
  static final long WINDOW_MILLIS = 10_000;
  static final long KEEP_MILLIS = 60_000;

  private final Supplier<ClusterView> cluster;
  private final NodeScraper scraper;
  private final LongSupplier clock;
  private final HealTracker heal = new HealTracker();
  /** Guards history and last; held across one scrape (see class comment). */
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<ClusterScrape> history = new ArrayDeque<>();
  private Map<String, Object> last;
  private long lastAtMillis;

  SystemMetricsRoute(Supplier<ClusterView> cluster, NodeScraper scraper, LongSupplier clock) {
    this.cluster = cluster;
    this.scraper = scraper;
    this.clock = clock;
  }

  void register(Javalin app) {
    app.get(PATH, ctx -> {
      ctx.header("Cache-Control", "no-store");
      ctx.json(report());
    });
  }

  Map<String, Object> report() {
    lock.lock();
    try {
      if (last != null && clock.getAsLong() - lastAtMillis < FRESH_MILLIS) {
        return last;
      }
      ClusterScrape now = scrape();
      ClusterScrape base = baseline(now.atMillis());
      last = SystemMetricsReport.build(now, base, heal);
      lastAtMillis = now.atMillis();
      history.addLast(now);
      trim(now.atMillis());
      return last;
    } finally {
      lock.unlock();
    }
  }

  private ClusterScrape scrape() {
    long started = clock.getAsLong();
    ClusterView view = cluster.get();
    try {
      var nodes = scraper.scrapeAll(view.nodes());
      long done = clock.getAsLong();
      return new ClusterScrape(done, view, nodes, done - started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.UNAVAILABLE, "interrupted while reading node metrics", e);
    }
  }

  private ClusterScrape baseline(long nowMillis) {
    ClusterScrape best = null;
    for (ClusterScrape s : history) { // oldest first
      if (nowMillis - s.atMillis() >= WINDOW_MILLIS || best == null) {
        best = s;
      }
    }
    return best;
  }

  private void trim(long nowMillis) {
    Iterator<ClusterScrape> it = history.iterator();
    while (history.size() > 1 && it.hasNext()) {
      if (nowMillis - it.next().atMillis() <= KEEP_MILLIS) {
        break;
      }
      it.remove();
    }
  }
}
