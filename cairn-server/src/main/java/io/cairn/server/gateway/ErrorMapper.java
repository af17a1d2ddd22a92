package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer.
 *
 * <p>Every error body has the same shape, {@code {"error":{"code","message","retryable"}}}, so clients
 * (the CLI, scripts, other nodes) parse one format. The status comes from {@link ErrorCode#httpStatus()};
 * retryable 503s carry {@code Retry-After: 1} so well-behaved clients back off briefly and try again.
 */
final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  static void install(Javalin app) {
    // Javalin keeps a built-in handler for its own HttpResponseException (used for unknown routes);
    // registering both classes routes everything through handle().
    app.exception(HttpResponseException.class, ErrorMapper::handle);
    app.exception(Exception.class, ErrorMapper::handle);
  }

  static void handle(Exception e, Context ctx) {
    Throwable t = e;
    if ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    CairnException ce = classify(t, ctx);
    if (ctx.res().isCommitted()) {
      // Bytes are already on the wire (a download failed midway): the status can no longer change.
      // Leaving the handler short of Content-Length makes Jetty abort the connection, so the client
      // sees a broken transfer rather than a truncated success.
      LOG.warn("{} {} failed after the response started: {}", ctx.method(), ctx.path(), ce.getMessage());
      return;
    }
    // Drop headers a handler set before failing (Content-Length of a download, Content-Disposition).
    ctx.res().reset();
    respond(ctx, ce);
  }

  /** Writes the error body and status; used directly where a handler must add headers first (416). */
  static void respond(Context ctx, CairnException ce) {
    ErrorCode code = ce.code();
    ctx.status(code.httpStatus());
    if (code.retryable() && code.httpStatus() == 503) {
      ctx.header("Retry-After", "1");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code.name());
    body.put("message", ce.getMessage() == null ? code.name() : ce.getMessage());
    body.put("retryable", code.retryable());
    ctx.json(Map.of("error", body));
  }

  private static CairnException classify(Throwable t, Context ctx) {
    if (t instanceof CairnException ce) {
      logCairn(ce, ctx);
      return ce;
    }
    if (t instanceof NotFoundResponse) {
      return new CairnException(ErrorCode.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path());
    }
    if (t instanceof HttpResponseException hre) {
      return new CairnException(codeFor(hre.getStatus()), hre.getMessage());
    }
    LOG.error("{} {} failed", ctx.method(), ctx.path(), t);
    return new CairnException(ErrorCode.INTERNAL, "internal error: " + t, t);
  }

  private static void logCairn(CairnException ce, Context ctx) {
    ErrorCode code = ce.code();
    if (code == ErrorCode.INTERNAL || code == ErrorCode.CHECKSUM_MISMATCH) {
      LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), code, ce);
    } else if (code.httpStatus() >= 500) {
      LOG.warn("{} {} failed: {} {}", ctx.method(), ctx.path(), code, ce.getMessage());
    } else {
      LOG.debug("{} {} rejected: {} {}", ctx.method(), ctx.path(), code, ce.getMessage());
    }
  }

  /** The first code with this status, so Javalin's own 400/404/413 answers look like ours. */
  static ErrorCode codeFor(int status) {
    if (status == 404) {
      return ErrorCode.NOT_FOUND;
    }
    for (ErrorCode c : ErrorCode.values()) {
      if (c.httpStatus() == status) {
        return c;
      }
    }
    return status < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL;
  }
}
