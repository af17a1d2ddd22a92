package io.cairn.server.gateway;

import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty rejects before Javalin sees them (a malformed percent-escape in the path, a bad
 * header) get the same JSON error body as everything else instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    byte[] body = body(code, message);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    baseRequest.setHandled(true);
  }

  private static byte[] body(int status, String reason) {
    ErrorCode code = ErrorMapper.codeFor(status);
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("code", code.name());
    err.put("message", "malformed request (URI or headers): " + (reason == null ? "HTTP " + status : reason));
    err.put("retryable", code.retryable());
    return Json.write(Map.of("error", err));
  }
}
