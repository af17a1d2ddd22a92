package io.cairn.server.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body as it streams: {@code hex-size[;chunk-signature=sig]\r\n data \r\n}
 * ... a zero-size chunk, then optional trailing headers and an empty line.
 *
 * <p>With a {@link SigV4.Verified} request (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) every chunk's
 * signature is checked, chained from the request signature; the data of a chunk is passed on as it
 * arrives and its signature checked when it ends, so a bad chunk fails the read before the upload can
 * commit. A checksum named by {@code x-amz-trailer} is computed over the decoded bytes and compared with
 * the trailer's value at the end. Nothing is buffered beyond one header line.
 */
final class AwsChunkedInputStream extends InputStream {
  private static final int MAX_LINE = 4096;

  private final InputStream in;
  private final SigV4.Verified signed;
  private final String trailerName;
  private final Checksums.Running trailerChecksum;
  private final long decodedLength;
  private final MessageDigest chunkDigest = SigV4.sha256();
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private String previousSignature;
  private String chunkSignature;
  private long remaining;
  private long total;
  private boolean done;

  /**
   * @param in the raw body
   * @param signed the verified request when chunks are signed, else null
   * @param trailerName the {@code x-amz-trailer} header value (e.g. x-amz-checksum-crc32), or null
   * @param decodedLength {@code x-amz-decoded-content-length}, or -1 when not given
   */
  AwsChunkedInputStream(InputStream in, SigV4.Verified signed, String trailerName, long decodedLength) {
    this.in = new BufferedInputStream(in, 64 * 1024);
    this.signed = signed;
    this.trailerName = trailerName == null || trailerName.isBlank() ? null : trailerName.trim().toLowerCase(Locale.ROOT);
    this.trailerChecksum = this.trailerName == null ? null : Checksums.forHeader(this.trailerName);
    if (this.trailerName != null && trailerChecksum == null) {
      throw S3Exception.invalidRequest("Unsupported x-amz-trailer: " + trailerName);
    }
    this.decodedLength = decodedLength;
    this.previousSignature = signed == null ? null : signed.signature();
    this.remaining = -1;
  }

  /** The trailing headers, once the body has been read to the end. */
  Map<String, String> trailers() {
    return trailers;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done && remaining <= 0) {
      if (remaining == 0) {
        endChunk();
      }
      if (!done) {
        startChunk();
      }
    }
    if (done) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw incomplete("the body ended inside a chunk");
    }
    remaining -= n;
    total += n;
    if (signed != null) {
      chunkDigest.update(b, off, n);
    }
    if (trailerChecksum != null) {
      trailerChecksum.update(b, off, n);
    }
    return n;
  }

  private void startChunk() throws IOException {
    String line = readLine();
    if (line == null) {
      throw incomplete("the body ended before the final chunk");
    }
    String sizePart = line;
    chunkSignature = null;
    int semi = line.indexOf(';');
    if (semi >= 0) {
      sizePart = line.substring(0, semi);
      String ext = line.substring(semi + 1).trim();
      if (ext.startsWith("chunk-signature=")) {
        chunkSignature = ext.substring("chunk-signature=".length()).trim();
      }
    }
    long size;
    try {
      size = Long.parseLong(sizePart.trim(), 16);
    } catch (NumberFormatException e) {
      throw new S3Exception(400, "InvalidChunkSizeError", "Malformed aws-chunked chunk header");
    }
    if (size < 0) {
      throw new S3Exception(400, "InvalidChunkSizeError", "Negative chunk size");
    }
    if (signed != null && chunkSignature == null) {
      throw new S3Exception(403, "SignatureDoesNotMatch", "A chunk of a signed streaming upload has no signature");
    }
    if (size == 0) {
      verifyChunk();
      readTrailers();
      finish();
      done = true;
      return;
    }
    remaining = size;
  }

  private void endChunk() throws IOException {
    int cr = in.read();
    int lf = in.read();
    if (cr != '\r' || lf != '\n') {
      throw new S3Exception(400, "IncompleteBody", "A chunk is not followed by CRLF");
    }
    verifyChunk();
    remaining = -1;
  }

  private void verifyChunk() {
    if (signed == null) {
      return;
    }
    String dataHash = HexFormat.of().formatHex(chunkDigest.digest());
    String expected = SigV4.chunkSignature(signed, previousSignature, dataHash);
    if (!SigV4.constantTimeEquals(expected, chunkSignature)) {
      throw new S3Exception(403, "SignatureDoesNotMatch", "The chunk signature does not match");
    }
    previousSignature = expected;
  }

  private void readTrailers() throws IOException {
    StringBuilder canonical = new StringBuilder();
    String trailerSignature = null;
    while (true) {
      String line = readLine();
      if (line == null || line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new S3Exception(400, "MalformedTrailerError", "Malformed trailing header");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("x-amz-trailer-signature")) {
        trailerSignature = value;
      } else {
        trailers.put(name, value);
        canonical.append(name).append(':').append(value).append('\n');
      }
    }
    if (signed != null && trailerName != null) {
      if (trailerSignature == null) {
        throw new S3Exception(403, "SignatureDoesNotMatch", "The trailing headers are not signed");
      }
      String expected = SigV4.trailerSignature(signed, previousSignature,
          SigV4.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8)));
      if (!SigV4.constantTimeEquals(expected, trailerSignature)) {
        throw new S3Exception(403, "SignatureDoesNotMatch", "The trailer signature does not match");
      }
    }
  }

  private void finish() {
    if (decodedLength >= 0 && total != decodedLength) {
      throw incomplete("decoded " + total + " bytes, x-amz-decoded-content-length says " + decodedLength);
    }
    if (trailerName != null) {
      String given = trailers.get(trailerName);
      if (given == null) {
        throw new S3Exception(400, "MalformedTrailerError", "The body has no " + trailerName + " trailer");
      }
      String actual = trailerChecksum.base64();
      if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
        throw new S3Exception(400, "BadDigest", "The " + trailerName.substring(Checksums.HEADER_PREFIX.length())
            .toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
      }
    }
  }

  /** A CRLF- (or LF-) terminated line, without the terminator; null at end of stream. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (c == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(c);
      if (line.size() > MAX_LINE) {
        throw new S3Exception(400, "InvalidChunkSizeError", "aws-chunked header line too long");
      }
    }
  }

  private static S3Exception incomplete(String why) {
    return new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified: " + why);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
