package io.cairn.meta;

/** A bucket with its creation time and current file count and byte total. */
public record BucketInfo(String name, long createdMillis, long files, long bytes) {}
