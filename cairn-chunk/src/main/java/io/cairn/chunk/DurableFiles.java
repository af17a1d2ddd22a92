package io.cairn.chunk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;

/**
 * The write-then-publish sequence Cairn uses for every file that must survive a crash whole or not at
 * all: write a temp file, fsync it, rename it into place, fsync the directory that now names it.
 */
final class DurableFiles {
  /** Fills a freshly created, empty file. */
  @FunctionalInterface
  interface Content {
    void writeTo(FileChannel ch) throws IOException;
  }

  private DurableFiles() {}

  /**
   * Writes a temp file in {@code tmpDir} and forces it (data and metadata) to disk. On failure the temp
   * file is removed and the exception propagates.
   */
  static Path writeTemp(Path tmpDir, String prefix, Content content, FileAttribute<?>... attrs)
      throws IOException {
    Path tmp = Files.createTempFile(tmpDir, prefix, ".tmp", attrs);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      content.writeTo(ch);
      ch.force(true);
      return tmp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp, e);
      throw e;
    }
  }

  /** Renames {@code tmp} over {@code target} atomically, then makes the new name durable. */
  static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp, e);
      throw e;
    }
    fsyncDir(target.getParent());
  }

  /**
   * Like {@link #publish} but never replaces an existing file: a hard link fails atomically when the
   * name is taken, where rename(2) would silently overwrite. Returns false if {@code target} existed.
   * The temp file is removed either way.
   */
  static boolean publishIfAbsent(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      // No hard links on this file system: fall back to a check-then-rename, racy only against a
      // second process creating the same file at the same instant.
      if (Files.exists(target)) {
        return false;
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsyncDir(target.getParent());
    return true;
  }

  /** Forces a directory's entries to disk, so a file created or renamed in it survives a crash. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void deleteQuietly(Path p, Exception cause) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
