package io.cairn.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** SigV4 against the examples published in the Amazon S3 API reference ("Signature Calculations"). */
class SigV4Test {
  static final String AK = "AKIAIOSFODNN7EXAMPLE";
  static final String SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final S3Credentials CREDS = S3Credentials.single(AK, SK);
  static final Clock AT = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

  static Map<String, List<String>> headers(String... kv) {
    Map<String, List<String>> h = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      h.put(kv[i], List.of(kv[i + 1]));
    }
    return h;
  }

  static SigV4.Request getObject(String signature) {
    return new SigV4.Request("GET", "/test.txt", null, headers(
        "host", "examplebucket.s3.amazonaws.com", "range", "bytes=0-9",
        "x-amz-content-sha256", SigV4.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
        "authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=" + signature));
  }

  @Test
  void headerExampleVerifies() {
    SigV4.Verified v = SigV4.verify(getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        CREDS, AT);
    assertThat(v.accessKey()).isEqualTo(AK);
    assertThat(v.scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
  }

  @Test
  void wrongSignatureUnknownKeySkewAndAnonymous() {
    assertThatThrownBy(() -> SigV4.verify(getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb40"),
        CREDS, AT)).hasFieldOrPropertyWithValue("code", "SignatureDoesNotMatch");
    assertThatThrownBy(() -> SigV4.verify(getObject("00"), S3Credentials.single("OTHER", SK), AT))
        .hasFieldOrPropertyWithValue("code", "InvalidAccessKeyId");
    Clock late = Clock.offset(AT, java.time.Duration.ofMinutes(16));
    assertThatThrownBy(() -> SigV4.verify(getObject("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        CREDS, late)).hasFieldOrPropertyWithValue("code", "RequestTimeTooSkewed");
    assertThatThrownBy(() -> SigV4.verify(new SigV4.Request("GET", "/", null, headers("host", "x")), CREDS, AT))
        .hasFieldOrPropertyWithValue("code", "AccessDenied").hasFieldOrPropertyWithValue("status", 403);
  }

  static SigV4.Request presigned(String signature) {
    return new SigV4.Request("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=" + signature,
        headers("host", "examplebucket.s3.amazonaws.com"));
  }

  @Test
  void presignedExampleVerifiesAndExpires() {
    String sig = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    assertThat(SigV4.verify(presigned(sig), CREDS, AT).presigned()).isTrue();
    assertThat(SigV4.verify(presigned(sig), CREDS, Clock.offset(AT, java.time.Duration.ofHours(23))).presigned())
        .isTrue();
    assertThatThrownBy(() -> SigV4.verify(presigned(sig), CREDS, Clock.offset(AT, java.time.Duration.ofHours(25))))
        .hasFieldOrPropertyWithValue("code", "AccessDenied").hasMessageContaining("expired");
    assertThatThrownBy(() -> SigV4.verify(presigned(sig.replace('a', 'b')), CREDS, AT))
        .hasFieldOrPropertyWithValue("code", "SignatureDoesNotMatch");
  }

  @Test
  void canonicalEncoding() {
    assertThat(SigV4.canonicalUri("/b/a%20b+c%2Bd~e")).isEqualTo("/b/a%20b%2Bc%2Bd~e");
    assertThat(SigV4.canonicalQuery("prefix=a%2Fb&list-type=2&delimiter=%2F&empty", null))
        .isEqualTo("delimiter=%2F&empty=&list-type=2&prefix=a%2Fb");
    assertThat(SigV4.uriEncode("ü /", true)).isEqualTo("%C3%BC%20%2F");
  }
}
