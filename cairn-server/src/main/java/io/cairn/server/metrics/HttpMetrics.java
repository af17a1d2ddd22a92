package io.cairn.server.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Counts and times every HTTP request by method, matched route (never the raw path, so file names do
 * not become labels) and status, and classifies file operations for the seed's per-operation counters.
 */
public final class HttpMetrics {
  private static final String START = "cairn.metrics.start";
  /** A request attribute naming the endpoint label when the route path does not (S3: {@code s3:PutObject}). */
  public static final String ENDPOINT_ATTRIBUTE = "cairn.metrics.endpoint";
  /** Set to "failed" by handlers whose status does not show the outcome (the form routes' 302). */
  public static final String OUTCOME_ATTRIBUTE = "cairn.metrics.outcome";

  private HttpMetrics() {}

  public static void install(Javalin app, Metrics metrics) {
    app.before(ctx -> {
      ctx.attribute(START, System.nanoTime());
      metrics.activeConnections.inc();
    });
    app.after(ctx -> record(ctx, metrics));
  }

  private static void record(Context ctx, Metrics metrics) {
    Long start = ctx.attribute(START);
    if (start == null) {
      return;
    }
    metrics.activeConnections.dec();
    String endpoint = endpoint(ctx);
    String method = ctx.method().name();
    int status = ctx.status().getCode();
    metrics.httpRequests.labelValues(method, endpoint, Integer.toString(status)).inc();
    metrics.httpDuration.labelValues(method, endpoint).observe((System.nanoTime() - start) / 1e9);
    String outcome = status < 400 && !"failed".equals(ctx.attribute(OUTCOME_ATTRIBUTE)) ? "success" : "failed";
    switch (operation(ctx.method(), endpoint)) {
      case UPLOAD -> metrics.fileUploads.labelValues(outcome).inc();
      case DOWNLOAD -> metrics.fileDownloads.labelValues(outcome).inc();
      case SEARCH -> metrics.fileSearches.labelValues(outcome).inc();
      case DELETE -> metrics.fileDeletes.labelValues(outcome).inc();
      case NONE -> { }
    }
  }

  /**
   * The endpoint label: an operation name a handler set (S3), else the route pattern that served the
   * request, or "unmatched". Javalin puts a sentence rather than a path there when no route matched
   * (404/405), so anything that is not a path is "unmatched": the raw request path must never become a
   * label.
   */
  static String endpoint(Context ctx) {
    String named = ctx.attribute(ENDPOINT_ATTRIBUTE);
    if (named != null) {
      return named;
    }
    String matched;
    try {
      matched = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      return "unmatched";
    }
    return matched == null || !matched.startsWith("/") ? "unmatched" : matched;
  }

  enum Operation { UPLOAD, DOWNLOAD, SEARCH, DELETE, NONE }

  static Operation operation(HandlerType method, String endpoint) {
    boolean fileRoute = endpoint.startsWith("/api/v1/files/{bucket}/");
    switch (endpoint) {
      case "s3:PutObject", "s3:CompleteMultipartUpload" -> {
        return Operation.UPLOAD;
      }
      case "s3:GetObject" -> {
        return Operation.DOWNLOAD;
      }
      case "s3:ListObjects", "s3:ListObjectsV2" -> {
        return Operation.SEARCH;
      }
      case "s3:DeleteObject" -> {
        return Operation.DELETE;
      }
      default -> { }
    }
    return switch (method) {
      case PUT -> fileRoute ? Operation.UPLOAD : Operation.NONE;
      case GET -> {
        if (fileRoute || endpoint.equals("/download")) {
          yield Operation.DOWNLOAD;
        }
        yield endpoint.equals("/api/v1/files/{bucket}") || endpoint.equals("/files")
            || endpoint.startsWith("/api/files/") ? Operation.SEARCH : Operation.NONE;
      }
      case POST -> switch (endpoint) {
        case "/upload" -> Operation.UPLOAD;
        case "/search" -> Operation.SEARCH;
        case "/delete" -> Operation.DELETE;
        default -> Operation.NONE;
      };
      case DELETE -> fileRoute ? Operation.DELETE : Operation.NONE;
      default -> Operation.NONE;
    };
  }
}
