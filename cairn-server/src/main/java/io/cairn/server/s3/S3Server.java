package io.cairn.server.s3;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.server.auth.BucketGuard;
import io.cairn.server.auth.Principal;
import io.cairn.server.files.FileService;
import io.cairn.server.metrics.HttpMetrics;
import io.cairn.server.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's S3-compatible endpoint, on its own port, over the same {@link FileService} as the REST API.
 * Every request is authenticated with SigV4 ({@link SigV4}), routed to an operation ({@link S3Router})
 * and answered by one of the handlers; failures become S3 XML errors. Requests are counted in
 * {@code http_requests_total} with endpoint {@code s3:<Operation>}.
 */
public final class S3Server {
  private static final Logger log = LoggerFactory.getLogger(S3Server.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final S3Config config;
  private final S3Credentials credentials;
  private final Clock clock;
  private final Javalin app;
  private final BucketHandler buckets;
  private final ObjectHandler objects;
  private final MultipartHandler multipart;
  private final ScheduledExecutorService sweeper;
  private final BucketGuard guard;

  private S3Server(S3Config config, String bindHost, FileService files, S3Credentials credentials, Metrics metrics,
      IntSupplier leaderCheck, Clock clock, BucketGuard guard) {
    this.config = config;
    this.guard = guard;
    this.credentials = credentials;
    this.clock = clock;
    this.buckets = new BucketHandler(files, config);
    this.objects = new ObjectHandler(files, buckets);
    this.multipart = new MultipartHandler(files, buckets, objects, clock);
    this.app = Javalin.create(c -> {
      c.useVirtualThreads = true;
      c.showJavalinBanner = false;
      c.startupWatcherEnabled = false;
      c.http.disableCompression();
      c.router.ignoreTrailingSlashes = false;
      c.router.treatMultipleSlashesAsSingleSlash = false;
      io.cairn.server.tls.Connectors.install(c, bindHost, config.port(), config.tls());
      c.jetty.modifyHttpConfiguration(h -> {
        h.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        h.setSendServerVersion(false);
      });
    });
    if (metrics != null) {
      HttpMetrics.install(app, metrics);
    }
    for (HandlerType t : new HandlerType[] {HandlerType.GET, HandlerType.HEAD, HandlerType.PUT, HandlerType.POST,
        HandlerType.DELETE}) {
      app.addHttpHandler(t, "/", this::handle);
      app.addHttpHandler(t, "/<path>", this::handle);
    }
    this.sweeper = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("cairn-s3-multipart-expiry").unstarted(r));
    long every = Math.max(1000, Math.min(config.multipartExpiry().toMillis() / 2, 600_000));
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        if (leaderCheck.getAsInt() > 0) {
          multipart.expire(config.multipartExpiry());
        }
      } catch (RuntimeException e) {
        log.warn("multipart expiry round failed: {}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the endpoint on {@code bindHost:config.port()}.
   *
   * @param leaderCheck positive when this node should run cluster-wide upkeep (expiring uploads)
   */
  public static S3Server start(S3Config config, String bindHost, FileService files, S3Credentials credentials,
      Metrics metrics, IntSupplier leaderCheck) {
    return start(config, bindHost, files, credentials, metrics, leaderCheck, null);
  }

  /**
   * As above, with per-user bucket ownership enforced by {@code guard} (null: every valid signature has
   * full access, as with the single cluster key pair).
   */
  public static S3Server start(S3Config config, String bindHost, FileService files, S3Credentials credentials,
      Metrics metrics, IntSupplier leaderCheck, BucketGuard guard) {
    S3Server s = new S3Server(config, bindHost, files, credentials, metrics, leaderCheck, Clock.systemUTC(), guard);
    try {
      s.app.start();
    } catch (RuntimeException e) {
      s.sweeper.shutdownNow();
      throw new CairnException(ErrorCode.UNAVAILABLE,
          "cannot start the S3 endpoint on " + bindHost + ":" + config.port() + ": " + e.getMessage(), e);
    }
    log.info("S3 endpoint listening on {}://{}:{}", config.tls() == null ? "http" : "https", bindHost, s.port());
    return s;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    sweeper.shutdownNow();
    app.stop();
  }

  private void handle(Context ctx) {
    String requestId = HexFormat.of().withUpperCase().formatHex(randomBytes(8));
    ctx.res().setHeader("x-amz-request-id", requestId);
    ctx.res().setHeader("x-amz-id-2", requestId);
    ctx.res().setHeader("Server", "Cairn");
    S3Call call = null;
    try {
      call = S3Call.of(ctx, config.domains(), requestId);
      S3Router.Op op = S3Router.route(call);
      ctx.attribute(HttpMetrics.ENDPOINT_ATTRIBUTE, "s3:" + op.name());
      call.auth = authenticate(call);
      if (guard != null) {
        authorize(op, call, credentials.principalFor(call.auth.accessKey()));
      }
      dispatch(op, call);
    } catch (Exception e) {
      fail(ctx, call, e);
    }
  }

  /**
   * Checks the signature. A missing, unknown or wrong credential is a 401 (with the usual S3 error code),
   * so that it reads the same as a wrong password on the HTTP port.
   */
  private SigV4.Verified authenticate(S3Call call) {
    try {
      return SigV4.verify(call.signable(), credentials, clock);
    } catch (S3Exception e) {
      throw e.status() == 403 ? new S3Exception(401, e.code(), e.getMessage()) : e;
    }
  }

  /** Per-user bucket ownership: a restricted principal touches its own buckets only (403 otherwise). */
  private void authorize(S3Router.Op op, S3Call c, Principal p) {
    if (p.unrestricted()) {
      return;
    }
    switch (op) {
      case ListBuckets -> c.visibleBucket = guard.visible(p)::contains;
      case CreateBucket -> c.bucketCreator = b -> guard.createOwned(p, b);
      default -> {
        if (c.bucket != null) {
          guard.check(p, c.bucket);
        }
        String src = c.header("x-amz-copy-source");
        if (src != null) {
          guard.check(p, copySourceBucket(src));
        }
      }
    }
  }

  private static String copySourceBucket(String raw) {
    String src = SigV4.percentDecode(raw.trim(), false);
    src = src.startsWith("/") ? src.substring(1) : src;
    int slash = src.indexOf('/');
    return slash < 0 ? src : src.substring(0, slash);
  }

  private void dispatch(S3Router.Op op, S3Call c) {
    switch (op) {
      case ListBuckets -> buckets.listBuckets(c);
      case CreateBucket -> buckets.create(c);
      case HeadBucket -> buckets.head(c);
      case DeleteBucket -> buckets.delete(c);
      case GetBucketLocation -> buckets.location(c);
      case ListObjects -> buckets.listObjects(c, false);
      case ListObjectsV2 -> buckets.listObjects(c, true);
      case PutObject -> objects.put(c);
      case GetObject -> objects.get(c, false);
      case HeadObject -> objects.get(c, true);
      case DeleteObject -> objects.delete(c);
      case DeleteObjects -> objects.deleteMany(c);
      case CopyObject -> objects.copy(c);
      case CreateMultipartUpload -> multipart.create(c);
      case UploadPart -> multipart.uploadPart(c, false);
      case UploadPartCopy -> multipart.uploadPart(c, true);
      case CompleteMultipartUpload -> multipart.complete(c);
      case AbortMultipartUpload -> multipart.abort(c);
      case ListParts -> multipart.listParts(c);
      case ListMultipartUploads -> multipart.listUploads(c);
      case Unsupported -> throw S3Exception.notImplemented("This request (" + c.method + " with sub-resource "
          + S3Router.subresource(c) + ")");
    }
  }

  private static void fail(Context ctx, S3Call call, Exception e) {
    S3Exception s3 = toS3(e, call);
    if (ctx.res().isCommitted()) {
      log.warn("S3 {} {} failed after the response started: {}", ctx.method(), ctx.path(), s3.getMessage());
      return;
    }
    ctx.res().reset();
    String requestId = call == null ? "" : call.requestId;
    ctx.res().setHeader("x-amz-request-id", requestId);
    ctx.res().setHeader("Server", "Cairn");
    if (s3.status() == 503) {
      ctx.res().setHeader("Retry-After", "1");
    }
    if (s3.status() == 304 || "HEAD".equalsIgnoreCase(ctx.req().getMethod())) {
      ctx.status(s3.status());
      ctx.res().setHeader("x-amz-error-code", s3.code());
      return;
    }
    String body = S3Xml.error(s3.code(), s3.getMessage(), call == null ? null : call.resource(), requestId);
    if (call != null) {
      call.xml(s3.status(), body);
    } else {
      ctx.status(s3.status());
      ctx.contentType("application/xml");
      ctx.result(body);
    }
  }

  static S3Exception toS3(Throwable e, S3Call call) {
    if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof S3Exception s) {
      log.debug("S3 request rejected: {} {}", s.code(), s.getMessage());
      // A streaming upload's chunk signature is a credential too: wrong is 401 like the request's own.
      return s.status() == 403 && s.code().equals("SignatureDoesNotMatch")
          ? new S3Exception(401, s.code(), s.getMessage()) : s;
    }
    if (e instanceof CairnException ce) {
      ErrorCode code = ce.code();
      if (code.httpStatus() >= 500) {
        log.warn("S3 request failed: {} {}", code, ce.getMessage());
      }
      return switch (code) {
        case NO_SUCH_BUCKET -> S3Exception.noSuchBucket(call == null ? "" : call.bucket);
        case NO_SUCH_KEY -> S3Exception.noSuchKey(call == null ? "" : call.key);
        case BUCKET_NOT_EMPTY -> new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        case PAYLOAD_TOO_LARGE -> new S3Exception(400, "EntityTooLarge", ce.getMessage());
        default -> new S3Exception(code.httpStatus(), code.s3Code(), String.valueOf(ce.getMessage()));
      };
    }
    if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
      return new S3Exception(400, "IncompleteBody", "The request body could not be read: " + e.getMessage());
    }
    log.error("S3 request failed", e);
    return new S3Exception(500, "InternalError", "We encountered an internal error. Please try again.");
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
