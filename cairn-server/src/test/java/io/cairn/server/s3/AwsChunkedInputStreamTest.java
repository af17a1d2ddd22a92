package io.cairn.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** aws-chunked decoding against the published STREAMING-AWS4-HMAC-SHA256-PAYLOAD example, and trailers. */
class AwsChunkedInputStreamTest {
  static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  static final String[] CHUNK_SIGS = {
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};

  static SigV4.Verified exampleRequest() {
    String auth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        + "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + SEED;
    return SigV4.verify(new SigV4.Request("PUT", "/examplebucket/chunkObject.txt", null, SigV4Test.headers(
        "host", "s3.amazonaws.com", "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
        "authorization", auth, "x-amz-content-sha256", SigV4.STREAMING_SIGNED, "content-encoding", "aws-chunked",
        "x-amz-decoded-content-length", "66560", "content-length", "66824")), SigV4Test.CREDS, SigV4Test.AT);
  }

  static byte[] exampleBody(String[] sigs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] a = new byte[65536];
    Arrays.fill(a, (byte) 'a');
    out.writeBytes(("10000;chunk-signature=" + sigs[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(a);
    out.writeBytes(("\r\n400;chunk-signature=" + sigs[1] + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(Arrays.copyOf(a, 1024));
    out.writeBytes(("\r\n0;chunk-signature=" + sigs[2] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void publishedExampleDecodesAndVerifies() throws Exception {
    byte[] body = exampleBody(CHUNK_SIGS);
    assertThat(body.length).isEqualTo(66824);
    InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), exampleRequest(), null, 66560);
    byte[] decoded = in.readAllBytes();
    assertThat(decoded).hasSize(66560);
    for (byte b : decoded) {
      assertThat(b).isEqualTo((byte) 'a');
    }
  }

  @Test
  void badChunkSignatureFails() {
    String[] sigs = CHUNK_SIGS.clone();
    sigs[1] = sigs[1].replace('0', '1');
    InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(exampleBody(sigs)), exampleRequest(), null,
        66560);
    assertThatThrownBy(in::readAllBytes).isInstanceOf(S3Exception.class)
        .hasFieldOrPropertyWithValue("code", "SignatureDoesNotMatch");
  }

  @Test
  void tamperedDataFails() {
    byte[] body = exampleBody(CHUNK_SIGS);
    body[200] = 'b';
    InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), exampleRequest(), null, 66560);
    assertThatThrownBy(in::readAllBytes).hasFieldOrPropertyWithValue("code", "SignatureDoesNotMatch");
  }

  static byte[] unsignedTrailer(byte[] data, String trailerLine) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int half = data.length / 2;
    out.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data, 0, half);
    out.writeBytes(("\r\n" + Integer.toHexString(data.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data, half, data.length - half);
    out.writeBytes(("\r\n0\r\n" + trailerLine + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void unsignedPayloadWithCrc32Trailer() throws Exception {
    byte[] data = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(data);
    String value = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue())
        .array());
    AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(
        unsignedTrailer(data, "x-amz-checksum-crc32:" + value)), null, "x-amz-checksum-crc32", data.length);
    assertThat(in.readAllBytes()).isEqualTo(data);
    assertThat(in.trailers()).containsEntry("x-amz-checksum-crc32", value);

    AwsChunkedInputStream bad = new AwsChunkedInputStream(new ByteArrayInputStream(
        unsignedTrailer(data, "x-amz-checksum-crc32:AAAAAA==")), null, "x-amz-checksum-crc32", data.length);
    assertThatThrownBy(bad::readAllBytes).hasFieldOrPropertyWithValue("code", "BadDigest");

    AwsChunkedInputStream wrongLength = new AwsChunkedInputStream(new ByteArrayInputStream(
        unsignedTrailer(data, "x-amz-checksum-crc32:" + value)), null, "x-amz-checksum-crc32", data.length + 1);
    assertThatThrownBy(wrongLength::readAllBytes).hasFieldOrPropertyWithValue("code", "IncompleteBody");
  }

  @Test
  void sha256AndCrc32cTrailers() throws Exception {
    byte[] data = new byte[100_000];
    new java.util.Random(1).nextBytes(data);
    for (String algo : new String[] {"sha256", "crc32c", "crc64nvme", "sha1"}) {
      Checksums.Running c = Checksums.forAlgorithm(algo);
      c.update(data, 0, data.length);
      String name = "x-amz-checksum-" + algo;
      AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(
          unsignedTrailer(data, name + ":" + c.base64())), null, name, -1);
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void truncatedBodyFails() {
    byte[] body = exampleBody(CHUNK_SIGS);
    InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(Arrays.copyOf(body, 40_000)),
        exampleRequest(), null, 66560);
    assertThatThrownBy(in::readAllBytes).hasFieldOrPropertyWithValue("code", "IncompleteBody");
  }

  @Test
  void crc64NvmeCheckValue() {
    Checksums.Crc64Nvme c = new Checksums.Crc64Nvme();
    byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
    c.update(b, 0, b.length);
    assertThat(c.value()).isEqualTo(0xae8b14860a799888L);
  }
}
