package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorsAndHealthTest extends GatewayTestBase {
  @Test
  void unknownRoutesAre404Json() {
    HttpResponse<byte[]> r = get("/no/such/route");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode e = json(r).path("error");
    assertThat(e.path("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(e.path("message").asText()).contains("/no/such/route");
    assertThat(e.path("retryable").asBoolean()).isFalse();
  }

  @Test
  void requestsJettyRejectsGetJsonToo() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /api/v1/files/b/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400").contains("application/json")
          .contains("\"code\":\"INVALID_ARGUMENT\"");
    }
  }

  @Test
  void retryableErrorsAre503WithRetryAfter() {
    files.failWith(new CairnException(ErrorCode.NO_LEADER, "no leader elected"));
    HttpResponse<byte[]> r = get("/api/v1/files/b/k");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode e = json(r).path("error");
    assertThat(e.path("code").asText()).isEqualTo("NO_LEADER");
    assertThat(e.path("message").asText()).isEqualTo("no leader elected");
    assertThat(e.path("retryable").asBoolean()).isTrue();
  }

  @Test
  void nonRetryableErrorsHaveNoRetryAfter() {
    HttpResponse<byte[]> r = get("/api/v1/files/b/k");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void wrappedCairnExceptionsAreUnwrapped() {
    gateway.app().get("/boom/completion", ctx -> {
      throw new CompletionException(new CairnException(ErrorCode.ALREADY_EXISTS, "there already"));
    });
    gateway.app().get("/boom/execution", ctx -> CompletableFuture.failedFuture(
        new CairnException(ErrorCode.INSUFFICIENT_REPLICAS, "2 of 3")).get());
    HttpResponse<byte[]> c = get("/boom/completion");
    assertThat(c.statusCode()).isEqualTo(409);
    assertThat(json(c).path("error").path("code").asText()).isEqualTo("ALREADY_EXISTS");
    HttpResponse<byte[]> x = get("/boom/execution");
    assertThat(x.statusCode()).isEqualTo(503);
    assertThat(json(x).path("error").path("code").asText()).isEqualTo("INSUFFICIENT_REPLICAS");
  }

  @Test
  void unexpectedExceptionsAre500Internal() {
    gateway.app().get("/boom/npe", ctx -> {
      throw new NullPointerException("oops");
    });
    HttpResponse<byte[]> r = get("/boom/npe");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(json(r).path("error").path("code").asText()).isEqualTo("INTERNAL");
    assertThat(json(r).path("error").path("message").asText()).contains("oops");
  }

  @Test
  void aDownloadThatFailsMidwayIsCutNotAShortSuccess() {
    put("/api/v1/files/b/big", new byte[1 << 20]);
    files.failReadsAfter(256 << 10);
    assertThatThrownBy(() -> http.send(request("/api/v1/files/b/big").GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(java.io.IOException.class);
    files.failReadsAfter(0);
    HttpResponse<byte[]> early = get("/api/v1/files/b/big");
    assertThat(early.statusCode()).isEqualTo(500);
    assertThat(early.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(json(early).path("error").path("code").asText()).isEqualTo("CHECKSUM_MISMATCH");
  }

  @Test
  void healthAndReadiness() {
    HttpResponse<byte[]> h = get("/healthz");
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(json(h).path("status").asText()).isEqualTo("ok");
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    readiness.ready = false;
    readiness.detail = "no raft leader";
    HttpResponse<byte[]> r = get("/readyz");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r).path("detail").asText()).isEqualTo("no raft leader");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void handlersRunOnVirtualThreads() {
    gateway.app().get("/thread", ctx -> ctx.result(String.valueOf(Thread.currentThread().isVirtual())));
    assertThat(text(get("/thread"))).isEqualTo("true");
  }
}
