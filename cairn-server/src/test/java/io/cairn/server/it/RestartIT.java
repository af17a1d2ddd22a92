package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Whole-cluster restart and single-node SIGKILL: acknowledged files always come back. */
class RestartIT {
  static final int MIB = 1 << 20;

  @Test
  void wholeClusterRestartReadsEverythingBack() throws Exception {
    try (TestCluster c = TestCluster.start(3, "512m")) {
      Map<String, Long> sizes = new TreeMap<>();
      for (int i = 0; i < 12; i++) {
        long size = i * 1_500_000L + i;
        sizes.put("restart/f" + i, size);
        assertThat(put(c, 1 + i % 3, "restart/f" + i, i, size)).isEqualTo(201);
      }
      c.cluster.stopAll(30);
      c.cluster.startAll();
      c.awaitReady();
      for (Map.Entry<String, Long> e : sizes.entrySet()) {
        int i = Integer.parseInt(e.getKey().substring("restart/f".length()));
        HttpResponse<java.io.InputStream> got = c.http.send(HttpRequest.newBuilder(URI.create(
            c.url(1 + (i + 1) % 3) + "/api/v1/files/b/" + e.getKey())).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(Payloads.sha256(got.body())).isEqualTo(Payloads.sha256(i, e.getValue()));
      }
    }
  }

  @Test
  void uploadsAndReadsContinueWhenAFollowerIsKilled() throws Exception {
    try (TestCluster c = TestCluster.start(3, "512m")) {
      int victim = c.leader == 3 ? 2 : 3;
      int via = c.leader;
      assertThat(put(c, via, "before", 1, 10L * MIB)).isEqualTo(201);
      c.kill(victim);
      assertThat(put(c, via, "during", 2, 10L * MIB)).isEqualTo(201);
      for (String key : new String[] {"before", "during"}) {
        HttpResponse<java.io.InputStream> got = c.http.send(HttpRequest.newBuilder(URI.create(
            c.url(via) + "/api/v1/files/b/" + key)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(Payloads.sha256(got.body())).isEqualTo(Payloads.sha256(key.equals("before") ? 1 : 2, 10L * MIB));
      }
      c.restart(victim);
      c.awaitReady();
      HttpResponse<java.io.InputStream> got = c.http.send(HttpRequest.newBuilder(URI.create(
          c.url(victim) + "/api/v1/files/b/during")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(Payloads.sha256(got.body())).isEqualTo(Payloads.sha256(2, 10L * MIB));
    }
  }

  static int put(TestCluster c, int node, String key, long seed, long size) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(c.url(node) + "/api/v1/files/b/" + key))
        .PUT(Payloads.publisher(seed, size))
        .build();
    HttpResponse<String> r = c.http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      System.err.println("PUT " + key + " -> " + r.statusCode() + " " + r.body());
    }
    return r.statusCode();
  }
}
