package io.cairn.bench.core;

/** A file store under test: Cairn over HTTP, or a peer such as HDFS. */
public interface Store {
  /** Writes file {@code name} with {@link Content} {@code seed} of {@code size} bytes, durably (fsync/hsync). */
  void write(String name, long size, long seed) throws Exception;

  /** Reads file {@code name} whole; returns the bytes read. */
  long read(String name) throws Exception;
}
