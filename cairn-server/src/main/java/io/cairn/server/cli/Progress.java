package io.cairn.server.cli;

import io.cairn.common.ByteSize;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: percent, bytes, MB/s and ETA, redrawn at most ten times a second.
 * Shown for transfers over 4 MiB when stderr is a terminal or {@code --progress} asks for it; otherwise
 * {@link #NONE}, which does nothing. Not thread-safe: one transfer updates it.
 */
class Progress {
  static final long THRESHOLD_BYTES = 4L << 20;
  static final Progress NONE = new Progress();
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final String label;
  private final long total;
  private long startNanos;
  private long lastDrawNanos;
  private long done;

  private Progress() {
    this(null, "", -1);
  }

  private Progress(PrintStream err, String label, long total) {
    this.err = err;
    this.label = label;
    this.total = total;
    reset();
  }

  /** A bar for {@code total} bytes ({@code -1} when unknown, as for stdin), or NONE when not wanted. */
  static Progress start(ClientIo io, boolean forced, String label, long total) {
    boolean wanted = forced || io.interactive();
    boolean bigEnough = total < 0 || total > THRESHOLD_BYTES;
    return wanted && bigEnough ? new Progress(io.err(), label, total) : NONE;
  }

  /** Back to zero, for a retry that sends or receives everything again. */
  void reset() {
    startNanos = System.nanoTime();
    lastDrawNanos = 0;
    done = 0;
  }

  void add(long n) {
    if (err == null) {
      return;
    }
    done += n;
    long now = System.nanoTime();
    if (now - lastDrawNanos >= REDRAW_NANOS) {
      lastDrawNanos = now;
      draw(now, false);
    }
  }

  void finish() {
    if (err != null) {
      draw(System.nanoTime(), true);
    }
  }

  private void draw(long now, boolean last) {
    double secs = Math.max(1e-3, (now - startNanos) / 1e9);
    double bytesPerSec = done / secs;
    StringBuilder line = new StringBuilder("\r").append(shortLabel()).append(' ');
    if (total > 0) {
      int pct = (int) Math.min(100, done * 100 / total);
      int filled = pct / 5;
      line.append('[').append("#".repeat(filled)).append(" ".repeat(20 - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", pct));
    }
    line.append(ByteSize.human(done));
    if (total >= 0) {
      line.append(" / ").append(ByteSize.human(total));
    }
    line.append(String.format(Locale.ROOT, "  %.1f MB/s", bytesPerSec / 1e6));
    if (total > 0 && !last && bytesPerSec > 0) {
      line.append("  ETA ").append(eta((long) ((total - done) / bytesPerSec)));
    }
    line.append("   ");
    err.print(line);
    if (last) {
      err.println();
    }
    err.flush();
  }

  private String shortLabel() {
    return label.length() <= 30 ? label : "..." + label.substring(label.length() - 27);
  }

  static String eta(long secs) {
    return secs >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
        : String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
  }
}
