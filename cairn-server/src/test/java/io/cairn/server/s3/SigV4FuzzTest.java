package io.cairn.server.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The S3 request authentication parsers: any Authorization header, date and query (presigned URLs) is
 * refused with an S3 error of status 400/403, and any aws-chunked body is decoded or refused the same
 * way; neither accepts a request it cannot verify nor throws anything else.
 */
class SigV4FuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyAuthorizationIsRefusedCleanly(FuzzedDataProvider data) {
    String auth = data.consumeString(600);
    String date = data.consumeBoolean() ? "20130524T000000Z" : data.consumeString(40);
    String sha = data.consumeBoolean() ? SigV4.UNSIGNED_PAYLOAD : data.consumeString(100);
    String query = data.consumeBoolean() ? null : data.consumeRemainingAsString();
    SigV4.Request req = new SigV4.Request("GET", "/bucket/key", query, SigV4Test.headers(
        "host", "s3.amazonaws.com", "x-amz-date", date, "authorization", auth, "x-amz-content-sha256", sha));
    try {
      SigV4.verify(req, SigV4Test.CREDS, SigV4Test.AT);
      throw new AssertionError("accepted a forged request: " + auth + " ? " + query);
    } catch (S3Exception e) {
      assertThat(e.status()).isIn(400, 403);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void anyAwsChunkedBodyIsDecodedOrRefused(byte[] body) {
    SigV4.Verified signed = AwsChunkedInputStreamTest.exampleRequest();
    try (InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), signed, null, 66560)) {
      in.readAllBytes();
    } catch (S3Exception e) {
      assertThat(e.status()).isIn(400, 403);
    } catch (IOException e) {
      // A short or broken stream: the handler answers 400 IncompleteBody.
    }
  }
}
