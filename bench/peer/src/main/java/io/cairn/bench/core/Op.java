package io.cairn.bench.core;

/** One operation of a closed-loop load, given its index. */
@FunctionalInterface
public interface Op {
  void run(int i) throws Exception;
}
