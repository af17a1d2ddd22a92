package io.cairn.server.chaos;

import io.cairn.server.chaos.Op.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a chaos history, key by key, against what Cairn promises for a single file: uploads and deletes
 * are atomic and linearizable, and an acknowledged one is durable.
 *
 * <p>An acknowledged (OK) write or delete took effect at some instant between its invocation and its
 * answer; an indeterminate one may have taken effect at any instant after its invocation, or never; a
 * failed one never did. A write whose content some read returned is <em>known</em> to have taken effect by
 * the time that read answered, like an acknowledged one. An operation O is <em>superseded before</em> time
 * t when some known operation A started after O was certainly over and was itself over before t: then O's
 * effect cannot be the state at t (A replaced it). From this:
 *
 * <ul>
 *   <li><b>Read-after-write.</b> A read returning value v is explained when some write/delete with effect v
 *       (or the initial empty state, for a 404) started before the read answered and was not superseded
 *       before the read started. Otherwise the read saw a state that an acknowledged operation had already
 *       replaced: a wrong (stale) read. Bytes that match no upload, or the upload of another key, or of a
 *       refused upload, are wrong reads too.</li>
 *   <li><b>Final state.</b> After every fault is healed, each key is read on every node, and these reads
 *       are checked the same way. One that no operation explains means an acknowledged write was lost (the
 *       key is gone or older), or a delete was undone (a file that an acknowledged delete removed is back):
 *       a resurrected delete. A key no node can serve is lost (unless it may legitimately be absent).</li>
 * </ul>
 *
 * These are necessary conditions of linearizability, checked per key in O(n²), exact for the sequential
 * parts of the history and never wrong about a violation it reports.
 */
public final class Checker {
  private Checker() {}

  public enum Type { LOST_WRITE, WRONG_READ, RESURRECTED_DELETE, UNVERIFIED }

  public record Violation(Type type, String key, String message) {
    @Override
    public String toString() {
      return type + " " + key + ": " + message;
    }
  }

  public record Result(List<Violation> violations, int keys, int finalFiles) {
    public long count(Type type) {
      return violations.stream().filter(v -> v.type() == type).count();
    }

    public boolean valid() {
      return violations.isEmpty();
    }
  }

  public static Result check(Collection<Op> history) {
    Map<String, List<Op>> byKey = new TreeMap<>();
    Map<Long, Op> writes = new HashMap<>();
    for (Op op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      if (op.kind() == Kind.WRITE) {
        writes.put(op.value(), op);
      }
    }
    List<Violation> out = new ArrayList<>();
    int files = 0;
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      KeyCheck k = new KeyCheck(e.getKey(), e.getValue(), writes, out);
      k.reads();
      files += k.finalState() ? 1 : 0;
    }
    return new Result(List.copyOf(out), byKey.size(), files);
  }

  /** The checks of one key. */
  private static final class KeyCheck {
    private final String key;
    private final List<Op> ops;
    private final Map<Long, Op> writes;
    private final List<Violation> out;
    /** Writes and deletes known to have taken effect, with the latest time by which they had. */
    private final Map<Long, Long> doneBy = new HashMap<>();
    private final List<Op> known = new ArrayList<>();
    private final List<Op> effects;

    KeyCheck(String key, List<Op> ops, Map<Long, Op> writes, List<Violation> out) {
      this.key = key;
      this.ops = ops;
      this.writes = writes;
      this.out = out;
      this.effects = ops.stream().filter(Op::mayHaveTakenEffect).toList();
      for (Op o : effects) {
        if (o.ok()) {
          doneBy.put(o.id(), o.complete());
        }
      }
      // A write some read returned had taken effect by the time that read answered, acknowledged or not.
      for (Op r : ops) {
        if (r.kind() == Kind.READ && r.ok() && r.value() > 0) {
          Op w = writes.get(r.value());
          if (w != null && w.key().equals(key) && w.mayHaveTakenEffect()) {
            doneBy.merge(w.id(), r.complete(), Math::min);
          }
        }
      }
      for (Op o : effects) {
        if (doneBy.containsKey(o.id())) {
          known.add(o);
        }
      }
    }

    /** When the op's effect is certainly over: known completion, or never for an unobserved unknown outcome. */
    private long done(Op o) {
      return doneBy.getOrDefault(o.id(), Long.MAX_VALUE);
    }

    void reads() {
      for (Op r : ops) {
        if (r.kind() != Kind.READ || !r.ok()) {
          continue;
        }
        String foreign = foreignContent(r.value());
        if (foreign != null) {
          out.add(new Violation(Type.WRONG_READ, key, r + " returned " + foreign));
        } else if (!explained(r)) {
          out.add(r.fin() ? finalViolation(r) : new Violation(Type.WRONG_READ, key, r + " is stale: "
              + lastKnownBefore(r.invoke()).map(a -> a + " had taken effect before the read started")
                  .orElse("no operation explains it")));
        }
      }
    }

    /** Why the value cannot be on this key at all, or null when it can. */
    private String foreignContent(long v) {
      if (v == Op.CORRUPT) {
        return "bytes that match no upload (corrupt)";
      }
      if (v == Op.ABSENT) {
        return null;
      }
      Op w = writes.get(v);
      if (w == null || !w.key().equals(key)) {
        return "the content of w" + v + (w == null ? ", which nobody wrote" : ", an upload to " + w.key());
      }
      if (w.outcome() == Op.Outcome.FAILED) {
        return "the content of a refused upload (" + w + "), which must have had no effect";
      }
      return null;
    }

    private boolean explained(Op r) {
      if (r.value() == Op.ABSENT && known.stream().noneMatch(a -> done(a) < r.invoke())) {
        return true; // the initial state
      }
      for (Op o : effects) {
        if (o.value() == r.value() && o.invoke() < r.complete() && !supersededBefore(o, r.invoke())) {
          return true;
        }
      }
      return false;
    }

    private boolean supersededBefore(Op o, long t) {
      return known.stream().anyMatch(a -> a != o && done(o) < a.invoke() && done(a) < t);
    }

    private Optional<Op> lastKnownBefore(long t) {
      return known.stream().filter(a -> done(a) < t).max(Comparator.comparingLong(this::done));
    }

    /** The values the key may hold at time t: effects not superseded before t (and the initial state). */
    private Set<Long> allowedAt(long t) {
      Set<Long> allowed = new LinkedHashSet<>();
      if (known.stream().noneMatch(a -> done(a) < t)) {
        allowed.add(Op.ABSENT);
      }
      for (Op o : effects) {
        if (o.invoke() < t && !supersededBefore(o, t)) {
          allowed.add(o.value());
        }
      }
      return allowed;
    }

    /** Checks that the key could be read after healing; returns whether it ends as a file. */
    boolean finalState() {
      List<Op> finals = ops.stream().filter(o -> o.kind() == Kind.READ && o.fin()).toList();
      Optional<Op> last = finals.stream().filter(Op::ok).max(Comparator.comparingLong(Op::complete));
      if (last.isEmpty()) {
        Set<Long> allowed = allowedAt(Long.MAX_VALUE);
        out.add(new Violation(allowed.contains(Op.ABSENT) ? Type.UNVERIFIED : Type.LOST_WRITE, key,
            (finals.isEmpty() ? "never read after healing" : "unreadable after healing: " + finals.getLast())
                + "; expected one of " + names(allowed)));
        return false;
      }
      return last.get().value() > 0;
    }

    /** A final read (after every fault healed) that no operation explains: what was lost or undone. */
    private Violation finalViolation(Op r) {
      long v = r.value();
      String msg = r + " ends as " + name(v) + ", expected one of " + names(allowedAt(r.invoke()));
      Op w = v > 0 ? writes.get(v) : null;
      if (w != null) {
        Optional<Op> by = known.stream().filter(a -> done(w) < a.invoke() && done(a) < r.invoke())
            .max(Comparator.comparingLong(this::done));
        if (by.isPresent()) {
          return new Violation(by.get().kind() == Kind.DELETE ? Type.RESURRECTED_DELETE : Type.LOST_WRITE, key,
              msg + "; " + (by.get().kind() == Kind.DELETE ? "deleted by " : "replaced by ") + by.get());
        }
      }
      return new Violation(Type.LOST_WRITE, key, msg);
    }

    private static String names(Collection<Long> values) {
      return values.stream().map(KeyCheck::name).toList().toString();
    }

    private static String name(long v) {
      return v == Op.ABSENT ? "absent" : v == Op.CORRUPT ? "corrupt" : "w" + v;
    }
  }
}
