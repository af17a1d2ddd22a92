package io.cairn.meta;

import io.cairn.common.ChunkRef;

/** Where a chunk belongs: the file version that references it and its entry in that file. */
public record ChunkLocation(String bucket, String key, String fileId, ChunkRef chunk) {}
