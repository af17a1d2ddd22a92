package io.cairn.server.s3;

import io.cairn.common.CairnException;
import io.cairn.common.FileRecord;
import io.cairn.server.files.FileService;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Bytes of one or more stored files, in order, as an InputStream: the server-side copy behind CopyObject,
 * UploadPartCopy and CompleteMultipartUpload. Reads one window (a chunk) at a time with the next window
 * fetched in the background, so memory stays at two windows whatever the size.
 */
final class RecordInputStream extends InputStream {
  private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();
  private static final int DEFAULT_WINDOW = 8 << 20;

  /** A byte range [first, last] of a file. */
  record Slice(FileRecord file, long first, long last) {
    static Slice whole(FileRecord f) {
      return new Slice(f, 0, f.size() - 1);
    }
  }

  private record Window(FileRecord file, long first, long last) {}

  private final FileService files;
  private final Iterator<Window> windows;
  private CompletableFuture<byte[]> next;
  private byte[] current = new byte[0];
  private int pos;

  RecordInputStream(FileService files, List<Slice> slices) {
    this.files = files;
    List<Window> all = new java.util.ArrayList<>();
    for (Slice s : slices) {
      long w = s.file().chunkSize() > 0 ? s.file().chunkSize() : DEFAULT_WINDOW;
      for (long from = s.first(); from <= s.last(); ) {
        long to = Math.min(s.last(), (from / w + 1) * w - 1);
        all.add(new Window(s.file(), from, to));
        from = to + 1;
      }
    }
    this.windows = all.iterator();
    this.next = fetchNext();
  }

  private CompletableFuture<byte[]> fetchNext() {
    if (!windows.hasNext()) {
      return null;
    }
    Window w = windows.next();
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) (w.last() - w.first() + 1));
      files.read(w.file(), w.first(), w.last(), out);
      return out.toByteArray();
    }, VIRTUAL);
  }

  private boolean fill() {
    while (pos >= current.length) {
      if (next == null) {
        return false;
      }
      try {
        current = next.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new CairnException(
            io.cairn.common.ErrorCode.INTERNAL, "copy source read failed", e.getCause());
      }
      pos = 0;
      next = fetchNext();
    }
    return true;
  }

  @Override
  public int read() {
    if (!fill()) {
      return -1;
    }
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    if (next != null) {
      next.cancel(true);
      next = null;
    }
  }
}
