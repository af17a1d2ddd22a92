package io.cairn.server.keys;

import io.cairn.chunk.Envelope;
import io.cairn.common.FileRecord;
import io.cairn.meta.FileScan;
import io.cairn.meta.KeyRewrap;
import io.cairn.meta.MetaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-wraps every file's data key under this node's current master key, through Raft, so that older
 * master keys can be destroyed. Only the small wrapped keys in the metadata records change: chunk files
 * are never read or written, because the data keys themselves stay the same.
 *
 * <p>Safe to run while files are being written and to run again: each batch names the exact file version
 * it re-wraps, and the state machine skips a version that was replaced meanwhile (the new version was
 * wrapped at upload, by whichever key its node held as current). A file uploaded by a node that still
 * had the old keyring as current lands under the old key; {@link #status} shows it and a second rotation
 * picks it up.
 */
public final class KeyRotation {
  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
  /** Records per Raft entry: big enough to make a million files quick, small enough for one log entry. */
  static final int BATCH = 500;

  private final MetaStore meta;
  private final Envelope envelope;
  private final LongSupplier resealSecrets;

  /**
   * @param resealSecrets re-seals the other secrets kept under a master key (stored S3 secrets) under the
   *     current one and returns how many it changed
   */
  public KeyRotation(MetaStore meta, Envelope envelope, LongSupplier resealSecrets) {
    this.meta = meta;
    this.envelope = envelope;
    this.resealSecrets = resealSecrets;
  }

  /** What a rotation did. */
  public record Result(int currentKeyId, long filesScanned, long rewrapped, long alreadyCurrent,
      long changedMeanwhile, Map<Integer, Long> filesByKeyIdAfter, long millis) {}

  /** How many files each master key id wraps, from this node's applied state. */
  public record Status(int currentKeyId, List<Integer> keysHeld, Map<Integer, Long> filesByKeyId) {}

  public synchronized Result rotate() {
    long t0 = System.nanoTime();
    int target = envelope.keyring().current().id();
    long scanned = 0;
    long already = 0;
    long proposed = 0;
    long changed = 0;
    List<KeyRewrap> batch = new ArrayList<>(BATCH);
    String cursor = null;
    do {
      FileScan page = meta.scanFilesLocal(cursor, BATCH);
      for (FileRecord f : page.files()) {
        scanned++;
        if (Envelope.keyId(f.wrappedKey()) == target) {
          already++;
          continue;
        }
        batch.add(new KeyRewrap(f.bucket(), f.key(), f.fileId(), envelope.rewrap(f.wrappedKey(), f.fileId())));
        if (batch.size() == BATCH) {
          proposed += batch.size();
          changed += meta.rewrapKeys(batch);
          batch.clear();
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    proposed += batch.size();
    changed += meta.rewrapKeys(batch);
    long secrets = resealSecrets.getAsLong();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    Map<Integer, Long> after = settledStatus(target);
    log.info("master key rotated: {} file keys re-wrapped under key {} in {} ms ({} scanned, {} already under it, "
        + "{} changed meanwhile), {} stored S3 secret(s) re-sealed; files per key now {}", String.format("%,d", changed),
        target, millis, scanned, already, proposed - changed, secrets, after);
    return new Result(target, scanned, changed, already, proposed - changed, after, millis);
  }

  /**
   * The local status once this node has applied the rotation (a write returns when the leader applied
   * it; a follower may lag a moment), or after a few seconds whatever it shows.
   */
  private Map<Integer, Long> settledStatus(int target) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    Map<Integer, Long> s = status().filesByKeyId();
    while (s.keySet().stream().anyMatch(id -> id != target) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      s = status().filesByKeyId();
    }
    return s;
  }

  /** Files per master key id; once an old id no longer appears, that key can be dropped. */
  public Status status() {
    Map<Integer, Long> byId = new TreeMap<>();
    String cursor = null;
    do {
      FileScan page = meta.scanFilesLocal(cursor, BATCH);
      for (FileRecord f : page.files()) {
        byId.merge(Envelope.keyId(f.wrappedKey()), 1L, Long::sum);
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return new Status(envelope.keyring().current().id(), envelope.keyring().ids(), byId);
  }
}
