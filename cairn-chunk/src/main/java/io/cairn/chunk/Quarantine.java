package io.cairn.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where corrupt chunk files go: {@code quarantine/<id>.<UTC timestamp>}. Files are moved, never deleted,
 * so an operator can inspect them; the cluster re-replicates the chunk from a healthy copy. Callers hold
 * the chunk id's lock.
 */
final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final SpaceAccount space;
  private final AtomicLong count = new AtomicLong();

  Quarantine(Path dir, SpaceAccount space) {
    this.dir = dir;
    this.space = space;
  }

  long count() {
    return count.get();
  }

  /**
   * Moves {@code file} out of the store. If even that fails the blob is still reported corrupt (the
   * caller throws CHECKSUM_MISMATCH either way) and the failure is logged at ERROR.
   */
  void move(String chunkId, Path file, CorruptChunkException problem) {
    String reason = problem.getMessage();
    try {
      Path dest = freeName(chunkId);
      Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
      space.removed(problem.accountedBytes());
      count.incrementAndGet();
      LOG.warn("chunk {} {}; quarantined to {}", chunkId, reason, dest);
    } catch (NoSuchFileException e) {
      // Someone else removed it first; nothing left to quarantine.
    } catch (IOException e) {
      LOG.error("chunk {} {}, and could not be moved to quarantine {}: {}", chunkId, reason, dir, e.toString());
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkId + " " + reason
          + " and could not be quarantined: " + e, e);
    }
  }

  private Path freeName(String chunkId) {
    String base = chunkId + "." + STAMP.format(Instant.now());
    Path p = dir.resolve(base);
    for (int i = 1; Files.exists(p); i++) {
      p = dir.resolve(base + "-" + i);
    }
    return p;
  }
}
