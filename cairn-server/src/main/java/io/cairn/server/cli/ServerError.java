package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** A non-2xx answer, parsed from the gateway's {@code {"error":{"code","message","retryable"}}} body. */
record ServerError(int status, ErrorCode code, String message, long retryAfterMillis) {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  static ServerError read(HttpResponse<InputStream> r) throws IOException {
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes(MAX_BODY_BYTES);
    }
    ErrorCode code = null;
    String message = null;
    try {
      JsonNode err = Json.MAPPER.readTree(body).path("error");
      code = ErrorCode.valueOf(err.path("code").asText());
      message = err.path("message").asText(null);
    } catch (IOException | IllegalArgumentException e) {
      // Not from a Cairn gateway (a proxy, or an old node): the status alone decides.
    }
    long retryAfter = r.headers().firstValue("Retry-After").map(ServerError::seconds).orElse(1000L);
    return new ServerError(r.statusCode(), code, message, retryAfter);
  }

  private static long seconds(String v) {
    try {
      return Math.max(0, Long.parseLong(v.trim())) * 1000;
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  /** 502/503/504: this node cannot serve now, another may. */
  boolean failover() {
    return status == 502 || status == 503 || status == 504;
  }

  String describe() {
    return status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
  }

  /** The final error for {@code subject} ("bucket" or "bucket/key"), with a message fit for a script's log. */
  CliException toException(String subject) {
    int exit = ExitCodes.forStatus(status);
    ErrorCode c = code != null ? code : ErrorCode.INTERNAL;
    String text;
    if (code == ErrorCode.NO_SUCH_KEY || code == null && status == 404) {
      text = "no such file: " + subject;
    } else if (code == ErrorCode.NO_SUCH_BUCKET) {
      int slash = subject.indexOf('/');
      text = "no such bucket: " + (slash < 0 ? subject : subject.substring(0, slash));
    } else if (code == ErrorCode.ALREADY_EXISTS) {
      text = "already exists: " + subject;
    } else {
      text = subject + ": " + (message != null ? message : "server answered HTTP " + status);
    }
    return new CliException(exit, c, text);
  }
}
