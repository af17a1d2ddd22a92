package io.cairn.server.chaos;

import io.cairn.server.chaos.Op.Kind;
import io.cairn.server.chaos.Op.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every operation of a chaos run, recorded by the clients as they complete, and the SHA-256 of every
 * upload's content, registered before the upload is sent, so a reader can tell which upload (if any) the
 * bytes it got belong to. Times are nanoseconds since the history was created. Thread-safe.
 */
public final class History {
  private final long origin = System.nanoTime();
  private final AtomicLong nextWrite = new AtomicLong(1);
  private final List<Op> ops = new ArrayList<>();
  private final Map<String, Long> writeBySha = new ConcurrentHashMap<>();

  /** Nanoseconds since the start of the history. */
  public long now() {
    return System.nanoTime() - origin;
  }

  /** A fresh write id; every write gets one, so every upload's content is distinct. */
  public long nextWriteId() {
    return nextWrite.getAndIncrement();
  }

  /** Remembers which write produced content with this digest (call before sending the upload). */
  public void registerContent(long writeId, String sha256) {
    if (writeBySha.putIfAbsent(sha256, writeId) != null) {
      throw new IllegalStateException("two writes with the same content: " + sha256);
    }
  }

  /** The write whose content has this digest, or {@link Op#CORRUPT} when no write had it. */
  public long writeWithContent(String sha256) {
    return writeBySha.getOrDefault(sha256, Op.CORRUPT);
  }

  public Op record(Kind kind, String key, int node, long invoke, Outcome outcome, long value, boolean fin,
      String detail) {
    long complete = now();
    synchronized (ops) {
      Op op = new Op(ops.size() + 1, kind, key, node, invoke, complete, outcome, value, fin, detail);
      ops.add(op);
      return op;
    }
  }

  /** Adds an operation built elsewhere (the checker's tests build whole histories by hand). */
  public void add(Op op) {
    synchronized (ops) {
      ops.add(op);
    }
  }

  public List<Op> ops() {
    synchronized (ops) {
      return List.copyOf(ops);
    }
  }

  /** How many operations of each kind ended with each outcome. */
  public Map<Kind, Map<Outcome, Long>> counts() {
    Map<Kind, Map<Outcome, Long>> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        m.put(o, 0L);
      }
      out.put(k, m);
    }
    for (Op op : ops()) {
      out.get(op.kind()).merge(op.outcome(), 1L, Long::sum);
    }
    return out;
  }
}
