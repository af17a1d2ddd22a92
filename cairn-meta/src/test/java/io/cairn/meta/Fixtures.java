package io.cairn.meta;

import io.cairn.common.ChunkRef;
import io.cairn.common.FileRecord;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for test records. */
final class Fixtures {
  private Fixtures() {}

  /** A file of {@code chunks} chunks of 100 bytes whose chunk ids are fileId-0, fileId-1, ... */
  static FileRecord file(String bucket, String key, String fileId, int chunks) {
    List<ChunkRef> refs = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      refs.add(new ChunkRef(fileId + "-" + i, i, i * 100L, 100, 128, 0xFFFF_FFFFL - i, List.of(1, 2)));
    }
    return new FileRecord(bucket, key, fileId, chunks * 100L, "ab".repeat(32), "cd".repeat(16),
        "application/octet-stream", 1_700_000_000_000L, "d3JhcHBlZA==", 100, refs, Map.of("owner", "ada"));
  }

  static NodeInfo node(int id) {
    return new NodeInfo(id, "http://127.0.0.1:" + (8000 + id), "http://127.0.0.1:" + (9000 + id),
        "127.0.0.1:" + (7000 + id), 1L << 40, "zone-" + id, NodeState.SUSPECT);
  }
}
