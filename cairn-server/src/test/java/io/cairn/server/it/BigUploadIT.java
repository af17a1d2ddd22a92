package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Uploads are streamed: a 2 GiB file passes through nodes whose heap is 256 MiB. */
class BigUploadIT {
  @Test
  void twoGibUploadThroughNodesWith256MibHeap() throws Exception {
    long size = 2L << 30;
    try (TestCluster c = TestCluster.start(3, "256m")) {
      long t0 = System.nanoTime();
      HttpRequest req = HttpRequest.newBuilder(URI.create(c.url(1) + "/api/v1/files/big/two-gib.bin"))
          .PUT(Payloads.publisher(42, size))
          .build();
      HttpResponse<String> put = c.http.send(req, HttpResponse.BodyHandlers.ofString());
      double secs = (System.nanoTime() - t0) / 1e9;
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      JsonNode rec = Json.MAPPER.readTree(put.body());
      assertThat(rec.path("size").asLong()).isEqualTo(size);
      assertThat(rec.path("sha256").asText()).isEqualTo(Payloads.sha256(42, size));
      System.out.printf("2 GiB upload with 256 MiB heaps: %.1f s (%.0f MB/s)%n", secs, size / 1e6 / secs);
      HttpResponse<java.io.InputStream> got = c.http.send(HttpRequest.newBuilder(URI.create(
          c.url(2) + "/api/v1/files/big/two-gib.bin")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(Payloads.sha256(got.body())).isEqualTo(rec.path("sha256").asText());
    }
  }
}
