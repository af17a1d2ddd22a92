package io.cairn.chunk;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives AES-GCM until the JIT has compiled it; see {@link ChunkCipher#warmUp()} for why.
 *
 * <p>Measured on JDK 25 (x86-64 with AES-NI): a cold JVM seals and opens 8 MiB chunks at about 70 MB/s
 * for roughly ten seconds, then jumps to several GB/s; after this warm-up (about one second) they run
 * at 1-2 GB/s from the first chunk. Three things matter: many calls, so the
 * invocation counters trip; small (1 KiB) and mid (16 KiB) buffers, which take different paths inside
 * the JDK's GCM; and some inputs above the JDK's 1 MiB split length, because C2 compiles only the
 * branches it has seen taken and would otherwise deoptimize (back to slow code) on the first real
 * chunk. A probe every few hundred rounds stops the loop as soon as large inputs run fast, so a warm
 * machine pays well under a second; a machine without AES instructions stops at the time budget.
 */
final class CipherWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(CipherWarmUp.class);
  private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_800);
  private static final double FAST_BYTES_PER_SECOND = 1e9;
  private static final int PROBE_EVERY = 500;
  private static final int LARGE_EVERY = 100;

  private CipherWarmUp() {}

  static void run(ChunkCipher cipher, byte[] key) {
    long start = System.nanoTime();
    byte[] small = new byte[1024];
    byte[] mid = new byte[16 * 1024];
    byte[] large = new byte[(2 << 20) + 1024];
    double rate = 0;
    int rounds = 0;
    while (System.nanoTime() - start < BUDGET_NANOS) {
      byte[] b = rounds % LARGE_EVERY == 0 ? large : rounds % 2 == 0 ? small : mid;
      roundTrip(cipher, key, rounds, b);
      rounds++;
      if (rounds % PROBE_EVERY == 0) {
        long t = System.nanoTime();
        roundTrip(cipher, key, rounds, large);
        rate = 2.0 * large.length / ((System.nanoTime() - t) / 1e9);
        if (rate >= FAST_BYTES_PER_SECOND) {
          break;
        }
      }
    }
    LOG.info("AES-GCM warm-up: {} rounds in {} ms, large chunks now at {} MB/s", rounds,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math.round(rate / 1e6));
  }

  private static void roundTrip(ChunkCipher cipher, byte[] key, int index, byte[] plain) {
    byte[] sealed = cipher.seal(key, "cairn-warm-up", index, plain, 0, plain.length);
    cipher.open(key, "cairn-warm-up", index, sealed, sealed.length);
  }
}
