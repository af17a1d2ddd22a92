package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/** Pages through {@code GET /api/v1/files/{bucket}} for {@code ls} and {@code find}. */
final class Listing {
  private static final int PAGE = 1000;

  private Listing() {}

  static void each(CairnClient client, String bucket, String prefix, String q, Consumer<JsonNode> entry) {
    String cursor = null;
    do {
      StringBuilder path = new StringBuilder("/api/v1/files/").append(bucket).append("?limit=").append(PAGE);
      if (prefix != null && !prefix.isEmpty()) {
        path.append("&prefix=").append(Urls.query(prefix));
      }
      if (q != null && !q.isEmpty()) {
        path.append("&q=").append(Urls.query(q));
      }
      if (cursor != null) {
        path.append("&cursor=").append(Urls.query(cursor));
      }
      JsonNode page = client.json(bucket, path.toString());
      page.path("files").forEach(entry);
      JsonNode next = page.path("nextCursor");
      cursor = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
    } while (cursor != null);
  }

  /** {@code ls -l} and {@code find -l}: size, time, key. */
  static String longLine(JsonNode f) {
    return String.format("%14d  %-24s  %s", f.path("size").asLong(), f.path("created").asText(),
        f.path("key").asText());
  }
}
