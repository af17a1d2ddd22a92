package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ClusterView;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListingAndMetaTest extends GatewayTestBase {
  private void storeAll(String bucket, String... keys) {
    for (String k : keys) {
      assertThat(put("/api/v1/files/" + bucket + "/" + path(k), k.getBytes()).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void listsWithPrefixSearchAndPaging() {
    storeAll("photos", "2024/a.jpg", "2024/b.JPG", "2025/c.png", "notes.txt");
    JsonNode all = json(get("/api/v1/files/photos"));
    assertThat(all.path("bucket").asText()).isEqualTo("photos");
    assertThat(all.path("nextCursor").isNull()).isTrue();
    assertThat(keys(all)).containsExactly("2024/a.jpg", "2024/b.JPG", "2025/c.png", "notes.txt");
    JsonNode first = all.path("files").get(0);
    assertThat(first.fieldNames()).toIterable().containsExactly("key", "size", "contentType", "created", "etag",
        "chunks");

    assertThat(keys(json(get("/api/v1/files/photos?prefix=2024/")))).containsExactly("2024/a.jpg", "2024/b.JPG");
    assertThat(keys(json(get("/api/v1/files/photos?q=jpg")))).containsExactly("2024/a.jpg", "2024/b.JPG");

    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = json(get("/api/v1/files/photos?limit=3" + (cursor == null ? "" : "&cursor=" + path(cursor))));
      paged.addAll(keys(page));
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(paged).containsExactly("2024/a.jpg", "2024/b.JPG", "2025/c.png", "notes.txt");
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void limitAboveTheMaximumIsClamped() {
    storeAll("b", "k");
    assertThat(get("/api/v1/files/b?limit=50000").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=abc", "limit=-5", "limit=1.5"})
  void badLimitsAre400(String query) {
    storeAll("b", "k");
    HttpResponse<byte[]> r = get("/api/v1/files/b?" + query);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").path("message").asText()).contains("limit");
  }

  @Test
  void unknownAndInvalidBuckets() {
    assertThat(get("/api/v1/files/nobody").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> bad = get("/api/v1/files/UPPER");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").path("retryable").asBoolean()).isFalse();
  }

  @Test
  void listsBuckets() {
    storeAll("alpha", "x");
    storeAll("beta", "y");
    assertThat(json(get("/api/v1/buckets")).path("buckets")).extracting(JsonNode::asText)
        .containsExactly("alpha", "beta");
  }

  @Test
  void metaShowsChunksButNeverTheWrappedKey() {
    byte[] data = new byte[2500];
    put("/api/v1/files/b/" + path("dir/file one.bin"), data, "x-cairn-meta-tag", "v");
    HttpResponse<byte[]> r = get("/api/v1/meta/b/" + path("dir/file one.bin"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode m = json(r);
    assertThat(m.fieldNames()).toIterable().containsExactly("bucket", "key", "fileId", "size", "sha256", "md5",
        "contentType", "created", "chunkSize", "userMeta", "chunks");
    assertThat(text(r)).doesNotContain("wrapped");
    assertThat(m.path("key").asText()).isEqualTo("dir/file one.bin");
    assertThat(m.path("userMeta").path("tag").asText()).isEqualTo("v");
    assertThat(m.path("chunks")).hasSize(3);
    JsonNode c = m.path("chunks").get(2);
    assertThat(c.fieldNames()).toIterable().containsExactly("index", "chunkId", "offset", "size", "storedSize",
        "crc32c", "replicas");
    assertThat(c.path("offset").asLong()).isEqualTo(2048);
    assertThat(c.path("size").asInt()).isEqualTo(452);
    assertThat(c.path("replicas")).extracting(JsonNode::asInt).containsExactly(1, 2, 3);
    assertThat(get("/api/v1/meta/b/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void clusterWithNodeExtras() {
    files.cluster(new ClusterView(2, 7, List.of(
        new NodeInfo(1, "http://127.0.0.1:8080", "http://127.0.0.1:7070", "127.0.0.1:9870", 100, "z1",
            NodeState.ALIVE),
        new NodeInfo(2, "http://127.0.0.1:8081", "http://127.0.0.1:7071", "127.0.0.1:9871", 200, "",
            NodeState.SUSPECT))));
    gateway.nodeExtras(n -> Map.of("usedBytes", n.id() * 10L, "id", 999));
    JsonNode c = json(get("/api/v1/cluster"));
    assertThat(c.path("leader").asInt()).isEqualTo(2);
    assertThat(c.path("term").asLong()).isEqualTo(7);
    JsonNode n1 = c.path("nodes").get(0);
    assertThat(n1.fieldNames()).toIterable().containsExactly("id", "state", "httpAddress", "internalAddress",
        "raftAddress", "zone", "capacityBytes", "usedBytes");
    assertThat(n1.path("id").asInt()).isEqualTo(1);
    assertThat(n1.path("usedBytes").asLong()).isEqualTo(10);
    assertThat(c.path("nodes").get(1).path("state").asText()).isEqualTo("SUSPECT");

    files.cluster(new ClusterView(0, 8, List.of()));
    assertThat(json(get("/api/v1/cluster")).path("leader").isNull()).isTrue();
  }

  private static List<String> keys(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("files").forEach(f -> out.add(f.path("key").asText()));
    return out;
  }
}
