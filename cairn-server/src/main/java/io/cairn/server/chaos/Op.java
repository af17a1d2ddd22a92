package io.cairn.server.chaos;

/**
 * One client operation of a chaos run, as the client saw it: when it was sent and when its answer came
 * (System.nanoTime of the one JVM that ran every client, so the times are comparable), and what happened.
 *
 * <p>{@code value} says which content the operation stands for: for a write, its own write id (&gt; 0,
 * unique over the run, so every upload has content no other upload has); for a delete, {@link #ABSENT};
 * for a successful read, the id of the write whose bytes came back, {@link #ABSENT} for a 404, or
 * {@link #CORRUPT} for bytes that match no upload at all.
 *
 * @param id sequence number in the history
 * @param kind write, read or delete
 * @param key the file key
 * @param node the node the request went to
 * @param invoke nanoTime just before the request was sent
 * @param complete nanoTime just after the answer (or the failure) came back
 * @param outcome ok, failed (certainly had no effect) or indeterminate (may or may not have had effect)
 * @param value the content this operation wrote, deleted or saw (see above)
 * @param fin true for the reads of the final check, made after every fault was healed
 * @param detail HTTP status or error, for the report
 */
public record Op(long id, Kind kind, String key, int node, long invoke, long complete, Outcome outcome, long value,
    boolean fin, String detail) {
  /** The value of "no file under this key". */
  public static final long ABSENT = 0;
  /** The value of a read whose bytes match no upload. */
  public static final long CORRUPT = -1;

  public enum Kind { WRITE, READ, DELETE }

  public enum Outcome { OK, FAILED, INDETERMINATE }

  public boolean ok() {
    return outcome == Outcome.OK;
  }

  /** A write or delete that may have changed the key: acknowledged, or with an unknown outcome. */
  public boolean mayHaveTakenEffect() {
    return kind != Kind.READ && outcome != Outcome.FAILED;
  }

  @Override
  public String toString() {
    String v = value == ABSENT ? "absent" : value == CORRUPT ? "corrupt" : "w" + value;
    return String.format("#%d %s %s via node %d [%.3f s .. %.3f s] %s %s%s (%s)", id, kind, key, node,
        invoke / 1e9, complete / 1e9, outcome, v, fin ? " final" : "", detail);
  }
}
