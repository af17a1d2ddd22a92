package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeTest extends GatewayTestBase {
  private static final int SIZE = 5000;
  private byte[] data;

  @BeforeEach
  void storeFile() {
    data = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    assertThat(put("/api/v1/files/b/f.bin", data).statusCode()).isEqualTo(201);
  }

  private HttpResponse<byte[]> ranged(String range) {
    return send(request("/api/v1/files/b/f.bin").header("Range", range).GET());
  }

  @ParameterizedTest
  @CsvSource({"bytes=0-0, 0, 0", "bytes=10-2047, 10, 2047", "bytes=4000-, 4000, 4999", "bytes=-100, 4900, 4999",
      "bytes=4990-9999, 4990, 4999", "bytes=-99999, 0, 4999", "bytes=1024-3071, 1024, 3071"})
  void singleRangesAre206(String range, long first, long last) {
    HttpResponse<byte[]> r = ranged(range);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(last - first + 1);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, (int) first, (int) last + 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=5000-", "bytes=5000-6000", "bytes=-0", "bytes=99999999999-"})
  void unsatisfiableRangesAre416(String range) {
    HttpResponse<byte[]> r = ranged(range);
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
    assertThat(json(r).path("error").path("code").asText()).isEqualTo("RANGE_NOT_SATISFIABLE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=abc", "items=0-5", "bytes=5-2", "bytes=1-2-3", "bytes=-", "bytes=x-5",
      "bytes=999999999999999999999-"})
  void malformedRangesAre400(String range) {
    HttpResponse<byte[]> r = ranged(range);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").path("message").asText()).contains("Range");
  }

  @Test
  void severalRangesGetTheWholeFile() {
    HttpResponse<byte[]> r = ranged("bytes=0-1,5-6");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(data);
  }

  @Test
  void ifRangeWithAStaleEtagGetsTheWholeFile() {
    String etag = get("/api/v1/files/b/f.bin").headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> fresh = send(request("/api/v1/files/b/f.bin").header("Range", "bytes=0-9")
        .header("If-Range", etag).GET());
    assertThat(fresh.statusCode()).isEqualTo(206);
    HttpResponse<byte[]> stale = send(request("/api/v1/files/b/f.bin").header("Range", "bytes=0-9")
        .header("If-Range", "\"old\"").GET());
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).hasSize(SIZE);
  }

  @Test
  void rangesWorkOnHeadAndSeedDownload() {
    HttpResponse<byte[]> head = send(request("/api/v1/files/b/f.bin").header("Range", "bytes=100-199")
        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(206);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(100);
    HttpResponse<byte[]> seed = send(request("/download?username=b&filename=f.bin").header("Range", "bytes=-10")
        .GET());
    assertThat(seed.statusCode()).isEqualTo(206);
    assertThat(seed.body()).isEqualTo(Arrays.copyOfRange(data, SIZE - 10, SIZE));
  }
}
