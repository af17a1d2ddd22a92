package io.cairn.server.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds a multipart/form-data body by hand, as a browser or Python requests would send it. */
final class Multipart {
  static final String BOUNDARY = "----cairnTestBoundary7MA4YWxkTrZu0gW";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Multipart field(String name, String value) {
    write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  Multipart file(String name, String filename, String type, byte[] content) {
    write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
        + "\"\r\nContent-Type: " + type + "\r\n\r\n");
    out.writeBytes(content);
    write("\r\n");
    return this;
  }

  byte[] build() {
    write("--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  static String contentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  private void write(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
