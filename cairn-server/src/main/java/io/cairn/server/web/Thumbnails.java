package io.cairn.server.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.Names;
import io.cairn.server.auth.CurrentPrincipal;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@code GET /api/web/thumbnail/{bucket}/<key>}: a small PNG of an image file for the file list.
 *
 * <p><b>Why on the server.</b> The workload this UI serves holds photos of 5-25 MB; a page of 25 of
 * them as {@code <img>} would pull hundreds of megabytes into the browser. Here each image is decoded
 * once with source subsampling (only every n-th pixel is kept, so memory stays near the thumbnail's
 * size whatever the image's) while its bytes stream from the file service through a pipe, and the
 * result is cached by content (the file's MD5), so an overwrite gets a new thumbnail.
 *
 * <p><b>Limits.</b> At most {@link #PARALLEL} decodes at once (decoding is CPU-bound and shares the
 * node with the data path); others wait up to a second and then get OVERLOADED, and the page shows a
 * plain icon instead. Formats the JDK cannot read (WebP, SVG) answer 404 likewise.
 */
final class Thumbnails {
  static final int SIZE = 96;
  static final int PARALLEL = 2;
  static final long MAX_SOURCE_BYTES = 256L << 20;
  static final long MAX_PIXELS = 400_000_000L;

  private final FileService files;
  private final Semaphore decoders = new Semaphore(PARALLEL);
  private final Cache<String, byte[]> cache = Caffeine.newBuilder()
      .maximumWeight(16L << 20).weigher((String k, byte[] v) -> v.length).build();

  Thumbnails(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.get("/api/web/thumbnail/{bucket}/<key>", this::serve);
  }

  private void serve(Context ctx) throws InterruptedException {
    String bucket = Names.checkBucket(ctx.pathParam("bucket"));
    String key = Names.checkKey(ctx.pathParam("key"));
    FileRecord rec = files.stat(bucket, key);
    if (!rec.contentType().startsWith("image/") || rec.size() == 0 || rec.size() > MAX_SOURCE_BYTES) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no thumbnail for " + rec.contentType() + " of "
          + rec.size() + " bytes");
    }
    byte[] png = cache.getIfPresent(rec.md5());
    if (png == null) {
      png = render(rec);
      cache.put(rec.md5(), png);
    }
    // The page asks with ?v=<etag>, so a stored answer can never be stale.
    ctx.header("Cache-Control", "private, max-age=86400");
    ctx.contentType("image/png").result(png);
  }

  private byte[] render(FileRecord rec) throws InterruptedException {
    if (!decoders.tryAcquire(1, TimeUnit.SECONDS)) {
      throw new CairnException(ErrorCode.OVERLOADED, "thumbnail decoders busy; try again");
    }
    try (PipedInputStream in = new PipedInputStream(1 << 20)) {
      PipedOutputStream out = new PipedOutputStream(in);
      // The reader thread reads as the requesting user: the ownership checks need the principal.
      Thread writer = Thread.ofVirtual().name("cairn-web-thumb-read")
          .start(CurrentPrincipal.carry(() -> copy(rec, out)));
      try {
        return encode(scale(decode(in)));
      } finally {
        in.close(); // unblocks the writer if decoding stopped early
        writer.join();
      }
    } catch (IOException e) {
      throw new CairnException(ErrorCode.NOT_FOUND, "cannot make a thumbnail: " + e.getMessage(), e);
    } finally {
      decoders.release();
    }
  }

  private void copy(FileRecord rec, PipedOutputStream out) {
    try (out) {
      files.read(rec, 0, rec.size() - 1, out);
    } catch (IOException | RuntimeException e) {
      // The reader sees a short stream and fails with its own message; nothing to add here.
    }
  }

  private static BufferedImage decode(InputStream in) throws IOException {
    try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
      if (readers == null || !readers.hasNext()) {
        throw new IOException("not an image format this server can read");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(iis, true, true);
        long w = r.getWidth(0);
        long h = r.getHeight(0);
        if (w * h > MAX_PIXELS) {
          throw new IOException("image too large (" + w + "x" + h + ")");
        }
        ImageReadParam p = r.getDefaultReadParam();
        int step = (int) Math.max(1, Math.min(w, h) / (2L * SIZE));
        p.setSourceSubsampling(step, step, 0, 0);
        return r.read(0, p);
      } finally {
        r.dispose();
      }
    }
  }

  /** Centre crop to a square, then scale to SIZE: thumbnails line up in the table. */
  private static BufferedImage scale(BufferedImage src) {
    int side = Math.min(src.getWidth(), src.getHeight());
    int x = (src.getWidth() - side) / 2;
    int y = (src.getHeight() - side) / 2;
    BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, SIZE, SIZE, x, y, x + side, y + side, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
