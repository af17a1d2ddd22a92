package io.cairn.server.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Passes a body through and checks it at its end: the signed payload SHA-256
 * ({@code x-amz-content-sha256}), {@code Content-MD5} and an {@code x-amz-checksum-*} header, each
 * when given. A mismatch throws {@link S3Exception} from the read that reaches the end, which is before
 * the file service commits anything.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final MessageDigest sha256;
  private final String expectedSha256;
  private final MessageDigest md5;
  private final byte[] expectedMd5;
  private final Checksums.Running checksum;
  private final String checksumName;
  private final String expectedChecksum;
  private final long expectedLength;
  private long count;
  private boolean checked;

  /**
   * @param sha256Hex expected SHA-256 (hex) or null
   * @param contentMd5 the Content-MD5 header (base64) or null
   * @param checksumHeader an x-amz-checksum-* header name or null
   * @param checksumValue its value
   * @param expectedLength bytes the body must have, or -1
   */
  VerifyingInputStream(InputStream in, String sha256Hex, String contentMd5, String checksumHeader,
      String checksumValue, long expectedLength) {
    super(in);
    this.expectedSha256 = sha256Hex == null ? null : sha256Hex.toLowerCase(Locale.ROOT);
    this.sha256 = sha256Hex == null ? null : SigV4.sha256();
    if (contentMd5 != null) {
      try {
        this.expectedMd5 = Base64.getDecoder().decode(contentMd5.trim());
      } catch (IllegalArgumentException e) {
        throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
      }
      if (expectedMd5.length != 16) {
        throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
      }
      this.md5 = md5();
    } else {
      this.expectedMd5 = null;
      this.md5 = null;
    }
    this.checksum = checksumHeader == null ? null : Checksums.forHeader(checksumHeader);
    this.checksumName = checksumHeader;
    this.expectedChecksum = checksumValue == null ? null : checksumValue.trim();
    this.expectedLength = expectedLength;
  }

  /** The stream this one verifies. */
  InputStream inner() {
    return in;
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
      return n;
    }
    count += n;
    if (sha256 != null) {
      sha256.update(b, off, n);
    }
    if (md5 != null) {
      md5.update(b, off, n);
    }
    if (checksum != null) {
      checksum.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void verify() {
    if (checked) {
      return;
    }
    checked = true;
    if (expectedLength >= 0 && count != expectedLength) {
      throw new S3Exception(400, "IncompleteBody",
          "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
    if (sha256 != null && !SigV4.constantTimeEquals(HexFormat.of().formatHex(sha256.digest()), expectedSha256)) {
      throw new S3Exception(400, "XAmzContentSHA256Mismatch",
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (md5 != null && !MessageDigest.isEqual(md5.digest(), expectedMd5)) {
      throw new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    if (checksum != null && !MessageDigest.isEqual(checksum.base64().getBytes(), expectedChecksum.getBytes())) {
      throw new S3Exception(400, "BadDigest", "The " + checksumName.substring(Checksums.HEADER_PREFIX.length())
          .toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
