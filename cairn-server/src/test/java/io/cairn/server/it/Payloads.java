package io.cairn.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Deterministic pseudo-random content of any size, generated on the fly (no big arrays in the test JVM). */
final class Payloads {
  private Payloads() {}

  static InputStream stream(long seed, long size) {
    return io.cairn.server.launch.GeneratedContent.stream(seed, size);
  }

  /** A request body of generated content with a known length (empty bodies need their own publisher). */
  static java.net.http.HttpRequest.BodyPublisher publisher(long seed, long size) {
    return size == 0
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.fromPublisher(
            java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> stream(seed, size)), size);
  }

  static byte[] bytes(long seed, int size) {
    try (InputStream in = stream(seed, size)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(long seed, long size) {
    return sha256(stream(seed, size));
  }

  static String sha256(InputStream in) {
    try (in) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
