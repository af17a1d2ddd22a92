package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.FileRecord;
import io.cairn.common.ErrorCode;
import io.cairn.server.files.FileService;
import io.cairn.server.files.FileService.PutRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;

/**
 * {@code /api/v1/files/{bucket}/<key>}: PUT, GET, HEAD, DELETE of one file.
 *
 * <p>The key is everything after the bucket, slashes included ({@code <key>} in Javalin's syntax);
 * Javalin percent-decodes it with path rules, so a {@code +} stays a plus. Upload bodies go straight
 * from the servlet input stream to the file service and are never held in memory.
 */
final class FileRoutes {
  static final String PATH = "/api/v1/files/{bucket}/<key>";

  private final FileService files;
  private final Downloads downloads;
  private final long maxUploadBytes;

  FileRoutes(FileService files, Downloads downloads, long maxUploadBytes) {
    this.files = files;
    this.downloads = downloads;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(Javalin app) {
    app.put(PATH, this::put);
    app.get(PATH, ctx -> downloads.send(ctx, Requests.bucket(ctx), Requests.key(ctx), true));
    app.head(PATH, ctx -> downloads.send(ctx, Requests.bucket(ctx), Requests.key(ctx), false));
    app.delete(PATH, this::delete);
  }

  private void put(Context ctx) throws IOException {
    String bucket = Requests.bucket(ctx);
    String key = Requests.key(ctx);
    boolean ifAbsent = ifAbsent(ctx.header("If-None-Match"));
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxUploadBytes) {
      throw LimitedInputStream.tooLarge(maxUploadBytes);
    }
    String contentType = ctx.header("Content-Type");
    if (contentType == null || contentType.isBlank()) {
      contentType = URLConnection.guessContentTypeFromName(key);
    }
    PutRequest req = new PutRequest(bucket, key, contentType, Requests.userMeta(ctx), ifAbsent);
    FileRecord rec;
    try (InputStream body = new LimitedInputStream(ctx.req().getInputStream(), maxUploadBytes)) {
      rec = files.put(req, body);
    }
    ctx.header("ETag", HttpHeaders.etag(rec));
    ctx.status(HttpStatus.CREATED).json(Views.Stored.of(rec));
  }

  /** Only {@code If-None-Match: *} ("create, don't replace") means something for a PUT. */
  private static boolean ifAbsent(String header) {
    if (header == null) {
      return false;
    }
    if (header.trim().equals("*")) {
      return true;
    }
    throw CairnException.invalid("a PUT supports only 'If-None-Match: *', was '" + header + "'");
  }

  private void delete(Context ctx) {
    String bucket = Requests.bucket(ctx);
    String key = Requests.key(ctx);
    if (!files.delete(bucket, key)) {
      throw new CairnException(ErrorCode.NO_SUCH_KEY, "no such file: " + bucket + "/" + key);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }
}
