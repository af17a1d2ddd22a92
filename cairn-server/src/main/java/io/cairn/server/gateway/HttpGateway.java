package io.cairn.server.gateway;

import static java.util.Objects.requireNonNull;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import io.cairn.common.NodeInfo;
import io.cairn.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP front door of a node: REST API ({@code /api/v1}), the seed app's form routes, the
 * web app ({@code io.cairn.server.web}) and health probes, all over the {@link FileService}.
 *
 * <p><b>Threads.</b> Each request runs on its own virtual thread, so handlers simply block on the file
 * service. Bodies are streamed both ways; nothing here holds a whole file in memory.
 *
 * <p><b>Errors.</b> Every failure goes through one mapper (see {@code ErrorMapper}): CairnException's
 * {@link ErrorCode#httpStatus()} and a JSON body {@code {"error":{"code","message","retryable"}}}.
 *
 * <p><b>Extending.</b> {@link #app()} exposes the Javalin instance so the node can add routes such as
 * {@code /metrics}; {@link #create} builds without starting when routes must exist before the first
 * request.
 */
public final class HttpGateway {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
  /** Multipart parts up to this size stay in memory; bigger ones spool to {@code tmpDir}. */
  private static final int IN_MEMORY_PART_BYTES = 1 << 20;
  /** Room for the non-file form fields on top of the file limit. */
  private static final long FORM_OVERHEAD_BYTES = 1 << 20;

  private final GatewayConfig cfg;
  private final Javalin app;
  private final ClusterRoutes cluster;

  private HttpGateway(GatewayConfig cfg, FileService files, Readiness readiness) {
    this.cfg = cfg;
    this.app = Javalin.create(this::configure);
    Downloads downloads = new Downloads(files);
    this.cluster = new ClusterRoutes(files);
    ErrorMapper.install(app);
    new HealthRoutes(readiness).register(app);
    new FileRoutes(files, downloads, cfg.maxUploadBytes()).register(app);
    new ListingRoutes(files).register(app);
    new MetaRoutes(files).register(app);
    cluster.register(app);
    new SeedUpload(files).register(app);
    new SeedRoutes(files, downloads, readiness).register(app);
    io.cairn.server.web.WebUi.install(app, files);
  }

  /** Builds the gateway with all routes registered, not yet listening. */
  public static HttpGateway create(GatewayConfig cfg, FileService files, Readiness readiness) {
    requireNonNull(cfg, "cfg");
    requireNonNull(files, "files");
    requireNonNull(readiness, "readiness");
    try {
      Files.createDirectories(cfg.tmpDir());
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot create gateway tmp dir " + cfg.tmpDir(), e);
    }
    return new HttpGateway(cfg, files, readiness);
  }

  /** Builds and starts the gateway; {@link #port()} tells the bound port when {@code cfg.port()} is 0. */
  public static HttpGateway start(GatewayConfig cfg, FileService files, Readiness readiness) {
    return create(cfg, files, readiness).start();
  }

  /** Binds and starts serving; fails with UNAVAILABLE when the address cannot be bound. */
  public HttpGateway start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new CairnException(ErrorCode.UNAVAILABLE,
          "cannot start HTTP gateway on " + cfg.bindHost() + ":" + cfg.port() + ": " + e.getMessage(), e);
    }
    LOG.info("HTTP gateway listening on {}://{}:{} (tmp {}, max upload {} bytes)", cfg.tls() == null ? "http" : "https",
        cfg.bindHost(), port(),
        cfg.tmpDir(), cfg.maxUploadBytes());
    return this;
  }

  /** The bound port (the real one when the config asked for 0). */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and closes the server; in-flight requests are cut. */
  public void stop() {
    app.stop();
  }

  /** The underlying Javalin app, to add routes (e.g. {@code /metrics}) or before/after handlers. */
  public Javalin app() {
    return app;
  }

  /**
   * Adds fields to each node of {@code GET /api/v1/cluster} (e.g. used and free bytes). The function is
   * called once per node per request, on the request thread; it must not block for long.
   */
  public HttpGateway nodeExtras(Function<NodeInfo, Map<String, Object>> extras) {
    cluster.nodeExtras(requireNonNull(extras, "extras"));
    return this;
  }

  private void configure(JavalinConfig c) {
    c.useVirtualThreads = true;
    c.showJavalinBanner = false;
    c.startupWatcherEnabled = false;
    // Downloads carry exact Content-Length and Range semantics; compressing would break both.
    c.http.disableCompression();
    // A key may end in '/', so the path must reach the router as sent.
    c.router.ignoreTrailingSlashes = false;
    c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
    io.cairn.server.tls.Connectors.install(c, cfg.bindHost(), cfg.port(), cfg.tls());
    c.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
    c.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrors()));
    c.jetty.multipartConfig.cacheDirectory(cfg.tmpDir().toAbsolutePath().toString());
    c.jetty.multipartConfig.maxFileSize(cfg.maxUploadBytes(), SizeUnit.BYTES);
    c.jetty.multipartConfig.maxInMemoryFileSize(IN_MEMORY_PART_BYTES, SizeUnit.BYTES);
    c.jetty.multipartConfig.maxTotalRequestSize(saturatedAdd(cfg.maxUploadBytes(), FORM_OVERHEAD_BYTES),
        SizeUnit.BYTES);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }
}
