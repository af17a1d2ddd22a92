package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.FileRecord;
import io.cairn.server.files.FileService;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * Sends a stored file: headers, conditional requests, a single byte range, then the bytes streamed
 * straight from {@link FileService#read} into the response (Jetty's small output buffer is the only
 * copy, so any size works in a small heap). Shared by the REST GET/HEAD and the seed {@code /download}.
 */
final class Downloads {
  private final FileService files;

  Downloads(FileService files) {
    this.files = files;
  }

  void send(Context ctx, String bucket, String key, boolean withBody) {
    FileRecord rec = files.stat(bucket, key);
    String etag = HttpHeaders.etag(rec);
    ctx.header("ETag", etag);
    ctx.header("Last-Modified", HttpHeaders.httpDate(rec.createdMillis()));
    ctx.header("Accept-Ranges", "bytes");
    if (notModified(ctx, etag, rec)) {
      ctx.status(HttpStatus.NOT_MODIFIED);
      return;
    }
    ctx.contentType(rec.contentType());
    ctx.header("Content-Disposition", HttpHeaders.contentDisposition(key, "1".equals(ctx.queryParam("inline"))));
    ctx.header("X-Cairn-Sha256", rec.sha256());
    ByteRange range;
    try {
      range = rangeHonored(ctx, etag, rec) ? ByteRange.parse(ctx.header("Range"), rec.size()) : null;
    } catch (CairnException e) {
      if (e.code().httpStatus() == 416) {
        ctx.header("Content-Range", "bytes */" + rec.size());
        ErrorMapper.respond(ctx, e);
        return;
      }
      throw e;
    }
    long first = 0;
    long last = rec.size() - 1;
    if (range != null) {
      first = range.first();
      last = range.last();
      ctx.status(HttpStatus.PARTIAL_CONTENT);
      ctx.header("Content-Range", range.contentRange(rec.size()));
    } else {
      ctx.status(HttpStatus.OK);
    }
    long length = last - first + 1;
    ctx.res().setContentLengthLong(length);
    if (withBody && length > 0) {
      files.read(rec, first, last, ctx.outputStream());
    }
  }

  /** If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
  private static boolean notModified(Context ctx, String etag, FileRecord rec) {
    String inm = ctx.header("If-None-Match");
    if (inm != null) {
      return HttpHeaders.etagListMatches(inm, etag);
    }
    long since = HttpHeaders.parseHttpDateSecs(ctx.header("If-Modified-Since"));
    return since >= 0 && rec.createdMillis() / 1000 <= since;
  }

  /** If-Range: serve the range only when the client's copy is the current one; else the whole file. */
  private static boolean rangeHonored(Context ctx, String etag, FileRecord rec) {
    String ifRange = ctx.header("If-Range");
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"")) {
      return v.equals(etag);
    }
    return HttpHeaders.parseHttpDateSecs(v) == rec.createdMillis() / 1000;
  }
}
