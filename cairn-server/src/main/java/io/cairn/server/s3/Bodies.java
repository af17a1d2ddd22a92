package io.cairn.server.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Turns a request body into the plain object bytes, verified the way the request's signature says. */
final class Bodies {
  private Bodies() {}

  /** The decoded, verifying body of an upload-like request. */
  static InputStream body(S3Call call) {
    String payload = call.auth.payload();
    InputStream raw = call.rawBody();
    String md5 = call.header("content-md5");
    String checksumHeader = null;
    String checksumValue = null;
    for (var e : call.headers.entrySet()) {
      if (e.getKey().startsWith(Checksums.HEADER_PREFIX) && !e.getKey().equals("x-amz-checksum-algorithm")
          && !e.getKey().equals("x-amz-checksum-type") && !e.getKey().equals("x-amz-checksum-mode")) {
        if (Checksums.forHeader(e.getKey()) == null) {
          throw S3Exception.invalidRequest("Unsupported checksum header " + e.getKey());
        }
        checksumHeader = e.getKey();
        checksumValue = e.getValue().get(0);
      }
    }
    if (payload.startsWith("STREAMING-")) {
      long decoded = parseLong(call.header("x-amz-decoded-content-length"));
      String trailer = call.header("x-amz-trailer");
      InputStream chunked = switch (payload) {
        case SigV4.STREAMING_SIGNED -> new AwsChunkedInputStream(raw, call.auth, null, decoded);
        case SigV4.STREAMING_SIGNED_TRAILER -> new AwsChunkedInputStream(raw, call.auth, trailer, decoded);
        case SigV4.STREAMING_UNSIGNED_TRAILER -> new AwsChunkedInputStream(raw, null, trailer, decoded);
        default -> throw new S3Exception(400, "InvalidRequest", "Unsupported x-amz-content-sha256: " + payload);
      };
      if (payload.equals(SigV4.STREAMING_SIGNED) && decoded < 0) {
        throw new S3Exception(411, "MissingContentLength", "x-amz-decoded-content-length is required");
      }
      return new VerifyingInputStream(chunked, null, md5, checksumHeader, checksumValue, -1);
    }
    String sha = payload.equals(SigV4.UNSIGNED_PAYLOAD) ? null : payload;
    if (sha != null && !sha.toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
      throw new S3Exception(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-*"
          + " value or a SHA-256 in hex");
    }
    return new VerifyingInputStream(raw, sha, md5, checksumHeader, checksumValue, call.contentLength());
  }

  /** The whole body of a small XML request (at most {@code max} bytes), verified. */
  static byte[] small(S3Call call, int max) {
    try (InputStream in = body(call)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw S3Exception.invalidRequest("Request body too large (at most " + max + " bytes)");
      }
      in.read(); // reach the end so the checks run
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and discards what is left of the body. */
  static void drain(S3Call call) {
    try {
      call.rawBody().transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  private static long parseLong(String v) {
    try {
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
