package io.cairn.server.internal;

import io.cairn.chunk.ChunkStore;
import io.cairn.chunk.Checksums;
import io.cairn.cluster.Heartbeat;
import io.cairn.cluster.InternalAuth;
import io.cairn.cluster.PeerClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import io.cairn.server.cluster.LeaderDuties;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The node-to-node endpoints on their own port: chunk put/get/delete and heartbeats. Every request must
 * carry a valid {@link InternalAuth} signature; nothing here is reachable with a client's credentials.
 */
public final class InternalServer {
  private final Javalin app;
  private final ChunkStore store;
  private final LeaderDuties duties;
  private final InternalAuth auth;
  private final int maxChunkBytes;

  private InternalServer(ChunkStore store, LeaderDuties duties, InternalAuth auth, int maxChunkBytes) {
    this.store = store;
    this.duties = duties;
    this.auth = auth;
    this.maxChunkBytes = maxChunkBytes;
    this.app = Javalin.create(cfg -> {
      cfg.useVirtualThreads = true;
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
    });
    app.before(this::authenticate);
    app.put("/internal/chunks/{id}", this::putChunk);
    app.get("/internal/chunks/{id}", this::getChunk);
    app.delete("/internal/chunks/{id}", this::deleteChunk);
    app.post("/internal/heartbeat", this::heartbeat);
    app.exception(CairnException.class, (e, ctx) -> error(ctx, e.code(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> error(ctx, ErrorCode.INTERNAL, String.valueOf(e)));
  }

  public static InternalServer start(String bindHost, int port, ChunkStore store, LeaderDuties duties,
      InternalAuth auth, int maxChunkBytes) {
    InternalServer s = new InternalServer(store, duties, auth, maxChunkBytes);
    s.app.start(bindHost, port);
    return s;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }

  /**
   * Checks the signature before any handler runs. The body digest it covers is checked where the body
   * is read ({@link #checkBody}); GET and DELETE must claim an empty body.
   */
  private void authenticate(Context ctx) {
    String claimed = ctx.header(InternalAuth.CONTENT_SHA256_HEADER);
    auth.verify(ctx.method().name(), ctx.req().getRequestURI(), ctx.header(InternalAuth.TIME_HEADER),
        ctx.header(InternalAuth.NONCE_HEADER), claimed, ctx.header(InternalAuth.SIGNATURE_HEADER));
    String m = ctx.method().name();
    if ((m.equals("GET") || m.equals("DELETE")) && !InternalAuth.EMPTY_SHA256.equals(claimed)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal " + m + " must be signed with an empty body");
    }
  }

  /** Refuses a body that is not the one the signature covers (nothing is stored or acted on). */
  private static void checkBody(Context ctx, byte[] body) {
    if (!InternalAuth.sha256Hex(body, 0, body.length).equals(ctx.header(InternalAuth.CONTENT_SHA256_HEADER))) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "internal call body does not match its signed digest");
    }
  }

  private void putChunk(Context ctx) throws IOException {
    String crcHeader = ctx.header(PeerClient.CRC_HEADER);
    long length = ctx.req().getContentLengthLong();
    if (crcHeader == null || length < 0 || length > maxChunkBytes) {
      throw CairnException.invalid("chunk put needs " + PeerClient.CRC_HEADER + " and a Content-Length of at most "
          + maxChunkBytes);
    }
    byte[] data;
    try (InputStream in = ctx.req().getInputStream()) {
      data = in.readNBytes((int) length);
    }
    if (data.length != length) {
      throw CairnException.invalid("chunk body ended after " + data.length + " of " + length + " bytes");
    }
    checkBody(ctx, data);
    store.putAndSync(ctx.pathParam("id"), data, data.length, Long.parseLong(crcHeader));
    ctx.status(201);
  }

  private void getChunk(Context ctx) {
    byte[] data = store.read(ctx.pathParam("id"));
    ctx.header(PeerClient.CRC_HEADER, Long.toString(Checksums.crc32c(data, 0, data.length)));
    ctx.contentType("application/octet-stream").result(data);
  }

  private void deleteChunk(Context ctx) {
    ctx.status(store.delete(ctx.pathParam("id")) ? 204 : 404);
    if (ctx.status().getCode() == 404) {
      error(ctx, ErrorCode.NOT_FOUND, "no chunk " + ctx.pathParam("id"));
    }
  }

  private void heartbeat(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    checkBody(ctx, body);
    Heartbeat hb = Json.readRequest(body, Heartbeat.class, 1 << 20);
    ctx.contentType("application/json").result(Json.write(duties.onHeartbeat(hb)));
  }

  private static void error(Context ctx, ErrorCode code, String message) {
    ctx.status(code.httpStatus()).contentType("application/json").result(Json.write(
        Map.of("error", Map.of("code", code.name(), "message", String.valueOf(message),
            "retryable", code.retryable()))));
  }
}
