package io.cairn.chunk;

/** A blob on local disk: its id, stored length and last-modified time (epoch millis). */
public record StoredChunk(String chunkId, long length, long modifiedMillis) {}
