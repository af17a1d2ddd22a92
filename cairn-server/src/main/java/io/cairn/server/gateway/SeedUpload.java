package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Names;
import io.cairn.server.files.FileService;
import io.cairn.server.files.FileService.PutRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /upload}, the seed app's multipart form: fields {@code file} and {@code username}.
 *
 * <p>Jetty parses the form before we see it and spools file parts above 1 MiB to the gateway's tmp dir,
 * so large uploads never sit in the heap. Like the seed app the upload never replaces an existing file
 * and answers with a redirect to {@code /} plus a flash message. Only a request we cannot read at all
 * (fields missing or invalid) gets a plain 4xx JSON error, unless a browser sent it.
 */
final class SeedUpload {
  private static final Logger LOG = LoggerFactory.getLogger(SeedUpload.class);

  private final FileService files;

  SeedUpload(FileService files) {
    this.files = files;
  }

  void register(Javalin app) {
    app.post("/upload", this::upload);
  }

  private void upload(Context ctx) throws IOException {
    try {
      Form form;
      try {
        form = read(ctx);
      } catch (CairnException e) {
        if (!Requests.acceptsHtml(ctx) || SeedUser.isAccessError(e)) {
          throw e;
        }
        Flash.set(ctx, true, e.getMessage());
        ctx.redirect("/", HttpStatus.FOUND);
        return;
      }
      Flash.rememberUser(ctx, form.bucket());
      store(ctx, form);
      ctx.redirect("/", HttpStatus.FOUND);
    } finally {
      deleteSpooledParts(ctx);
    }
  }

  private record Form(String bucket, String key, UploadedFile file) {}

  private static Form read(Context ctx) {
    UploadedFile file;
    try {
      file = ctx.uploadedFile("file");
    } catch (IllegalStateException e) {
      // Jetty's multipart parser signals its size limits this way.
      throw new CairnException(ErrorCode.PAYLOAD_TOO_LARGE, "upload too large: " + e.getMessage(), e);
    } catch (Exception e) {
      // Jetty reports a truncated body or a missing boundary as an IOException (thrown through Javalin
      // unchecked): the client's fault, so a 400, not a retryable 500.
      throw CairnException.invalid("malformed multipart form: " + e.getMessage());
    }
    if (file == null) {
      throw CairnException.invalid("missing field 'file' (send multipart/form-data with a file part)");
    }
    String bucket = SeedUser.check(Names.checkBucket(Requests.field(ctx, "username")));
    String name = file.filename();
    // Old browsers send the client's full path; the seed app kept the base name only.
    name = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    if (name.isBlank()) {
      throw CairnException.invalid("the file part has no file name");
    }
    return new Form(bucket, Names.checkKey(name), file);
  }

  private void store(Context ctx, Form form) throws IOException {
    String type = form.file().contentType();
    if (type == null || type.isBlank() || type.equals("application/octet-stream")) {
      type = URLConnection.guessContentTypeFromName(form.key());
    }
    try (InputStream in = form.file().content()) {
      files.put(new PutRequest(form.bucket(), form.key(), type, Map.of(), true), in);
      Flash.set(ctx, false, "File '" + form.key() + "' uploaded successfully");
    } catch (CairnException e) {
      if (SeedUser.isAccessError(e)) {
        throw e; // 401/403 with nothing changed, not a flash message that reads like a failed upload
      } else if (e.code() == ErrorCode.ALREADY_EXISTS) {
        Flash.set(ctx, true, "File already exists");
      } else {
        LOG.warn("upload of {}/{} failed: {}", form.bucket(), form.key(), e.toString());
        Flash.set(ctx, true, "Upload failed: " + e.getMessage());
      }
    }
  }

  /** Jetty removes spooled parts when the request ends too; deleting now frees the disk sooner. */
  private static void deleteSpooledParts(Context ctx) {
    String type = ctx.req().getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      return;
    }
    try {
      for (Part p : ctx.req().getParts()) {
        p.delete();
      }
    } catch (Exception e) {
      LOG.debug("could not delete spooled upload parts: {}", e.toString());
    }
  }
}
