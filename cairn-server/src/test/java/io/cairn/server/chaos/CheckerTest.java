package io.cairn.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.chaos.Checker.Type;
import io.cairn.server.chaos.Op.Kind;
import io.cairn.server.chaos.Op.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: clean ones pass, each kind of violation is caught. */
class CheckerTest {
  private final List<Op> h = new ArrayList<>();

  private Op add(Kind kind, String key, long from, long to, Outcome outcome, long value, boolean fin) {
    Op op = new Op(h.size() + 1, kind, key, 1, from, to, outcome, value, fin, "test");
    h.add(op);
    return op;
  }

  private void write(String key, long id, long from, long to, Outcome outcome) {
    add(Kind.WRITE, key, from, to, outcome, id, false);
  }

  private void delete(String key, long from, long to, Outcome outcome) {
    add(Kind.DELETE, key, from, to, outcome, Op.ABSENT, false);
  }

  private void read(String key, long from, long to, long saw) {
    add(Kind.READ, key, from, to, Outcome.OK, saw, false);
  }

  private void finalRead(String key, long saw) {
    add(Kind.READ, key, 1000, 1001, Outcome.OK, saw, true);
  }

  private Checker.Result check() {
    return Checker.check(h);
  }

  @Test
  void aSequentialHistoryOfWritesReadsAndDeletesPasses() {
    write("a", 1, 0, 10, Outcome.OK);
    read("a", 11, 12, 1);
    write("a", 2, 20, 30, Outcome.OK);
    read("a", 31, 32, 2);
    delete("a", 40, 50, Outcome.OK);
    read("a", 51, 52, Op.ABSENT);
    write("b", 3, 0, 10, Outcome.OK);
    finalRead("a", Op.ABSENT);
    finalRead("b", 3);
    finalRead("b", 3);
    Checker.Result r = check();
    assertThat(r.violations()).isEmpty();
    assertThat(r.keys()).isEqualTo(2);
    assertThat(r.finalFiles()).isEqualTo(1);
  }

  @Test
  void anAcknowledgedWriteMissingAtTheEndIsALostWrite() {
    write("a", 1, 0, 10, Outcome.OK);
    finalRead("a", Op.ABSENT);
    assertThat(check().count(Type.LOST_WRITE)).isEqualTo(1);
  }

  @Test
  void anOlderVersionAtTheEndMeansTheNewerWriteWasLost() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.OK);
    finalRead("a", 1);
    Checker.Result r = check();
    assertThat(r.count(Type.LOST_WRITE)).isEqualTo(1);
    assertThat(r.violations().getFirst().message()).contains("replaced by #2");
  }

  @Test
  void aFileBackAfterAnAcknowledgedDeleteIsAResurrection() {
    write("a", 1, 0, 10, Outcome.OK);
    delete("a", 20, 30, Outcome.OK);
    finalRead("a", 1);
    Checker.Result r = check();
    assertThat(r.count(Type.RESURRECTED_DELETE)).isEqualTo(1);
    assertThat(r.count(Type.LOST_WRITE)).isZero();
  }

  @Test
  void anIndeterminateWriteMayOrMayNotHaveHappened() {
    write("a", 1, 0, 10, Outcome.OK);
    delete("a", 20, 30, Outcome.OK);
    write("a", 2, 40, 50, Outcome.INDETERMINATE);
    finalRead("a", 2);
    assertThat(check().violations()).isEmpty();
    h.removeLast();
    finalRead("a", Op.ABSENT);
    assertThat(check().violations()).isEmpty();
    h.removeLast();
    finalRead("a", 1); // the delete still happened: w1 cannot come back
    assertThat(check().count(Type.RESURRECTED_DELETE)).isEqualTo(1);
  }

  @Test
  void anIndeterminateWriteCanTakeEffectLongAfterItsTimeout() {
    write("a", 1, 0, 10, Outcome.INDETERMINATE); // e.g. timed out; committed later
    write("a", 2, 20, 30, Outcome.OK);
    finalRead("a", 1);
    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aWriteAndADeleteThatOverlapMayEndEitherWay() {
    write("a", 1, 0, 10, Outcome.OK);
    delete("a", 5, 15, Outcome.OK);
    finalRead("a", 1);
    assertThat(check().violations()).isEmpty();
    h.removeLast();
    finalRead("a", Op.ABSENT);
    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aReadThatStartsAfterAnAcknowledgedWriteMustSeeItOrLater() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.OK);
    read("a", 25, 35, 1); // overlaps w2: may still see w1
    read("a", 40, 45, 2);
    finalRead("a", 2);
    assertThat(check().violations()).isEmpty();
    read("a", 31, 33, 1); // started after w2 was acknowledged
    Checker.Result r = check();
    assertThat(r.count(Type.WRONG_READ)).isEqualTo(1);
    assertThat(r.violations().getFirst().message()).contains("stale").contains("#2");
  }

  @Test
  void aNotFoundAfterAnAcknowledgedWriteIsAWrongRead() {
    read("a", 0, 5, Op.ABSENT); // before anything: the initial state
    write("a", 1, 3, 10, Outcome.OK);
    read("a", 4, 8, Op.ABSENT); // concurrent with the write: fine
    finalRead("a", 1);
    assertThat(check().violations()).isEmpty();
    read("a", 11, 12, Op.ABSENT);
    assertThat(check().count(Type.WRONG_READ)).isEqualTo(1);
  }

  @Test
  void aWriteStillInProgressMayBeSeenButNotUnseenAfterwards() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 100, Outcome.INDETERMINATE);
    read("a", 30, 40, 1); // w2 not applied yet
    read("a", 45, 50, 2); // now it is
    finalRead("a", 2);
    assertThat(check().violations()).isEmpty();
    read("a", 60, 70, 1); // w2 was seen by 50: w1 cannot come back
    Checker.Result r = check();
    assertThat(r.count(Type.WRONG_READ)).isEqualTo(1);
    assertThat(r.violations().getFirst().message()).contains("stale").contains("#2");
  }

  @Test
  void anUnacknowledgedWriteThatWasSeenMustNotBeLost() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.INDETERMINATE);
    read("a", 40, 50, 2);
    finalRead("a", 1);
    assertThat(check().count(Type.LOST_WRITE)).isEqualTo(1);
  }

  @Test
  void theContentOfARefusedUploadIsAWrongRead() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 3, 110, 120, Outcome.FAILED);
    read("a", 130, 140, 3);
    finalRead("a", 1);
    Checker.Result r = check();
    assertThat(r.count(Type.WRONG_READ)).isEqualTo(1);
    assertThat(r.violations().getFirst().message()).contains("refused");
  }

  @Test
  void corruptBytesAndAnotherKeysContentAreWrongReads() {
    write("a", 1, 0, 10, Outcome.OK);
    write("b", 2, 0, 10, Outcome.OK);
    read("a", 20, 30, Op.CORRUPT);
    read("a", 20, 30, 2);
    read("a", 20, 30, 99);
    finalRead("a", 1);
    finalRead("b", 2);
    Checker.Result r = check();
    assertThat(r.count(Type.WRONG_READ)).isEqualTo(3);
    assertThat(r.violations()).extracting(Checker.Violation::message)
        .anySatisfy(m -> assertThat(m).contains("corrupt"))
        .anySatisfy(m -> assertThat(m).contains("an upload to b"))
        .anySatisfy(m -> assertThat(m).contains("nobody wrote"));
  }

  @Test
  void aNodeStillServingAnOlderVersionAtTheEndLostAWrite() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.OK);
    finalRead("a", 2);
    finalRead("a", 1);
    Checker.Result r = check();
    assertThat(r.count(Type.LOST_WRITE)).isEqualTo(1);
    assertThat(r.count(Type.WRONG_READ)).isZero();
  }

  @Test
  void anUnacknowledgedWriteMayLandWhileTheFinalReadsRun() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.INDETERMINATE); // the server finishes it after the client gave up
    add(Kind.READ, "a", 1000, 1001, Outcome.OK, 1, true);
    add(Kind.READ, "a", 1002, 1003, Outcome.OK, 2, true);
    Checker.Result r = check();
    assertThat(r.violations()).isEmpty();
    assertThat(r.finalFiles()).isEqualTo(1);
    add(Kind.READ, "a", 1004, 1005, Outcome.OK, 1, true); // but it cannot be undone afterwards
    assertThat(check().count(Type.LOST_WRITE)).isEqualTo(1);
  }

  @Test
  void aFileThatCannotBeReadAtTheEndIsLost() {
    write("a", 1, 0, 10, Outcome.OK);
    add(Kind.READ, "a", 1000, 1001, Outcome.FAILED, Op.ABSENT, true);
    assertThat(check().count(Type.LOST_WRITE)).isEqualTo(1);
    h.clear();
    delete("a", 0, 10, Outcome.OK);
    add(Kind.READ, "a", 1000, 1001, Outcome.FAILED, Op.ABSENT, true);
    assertThat(check().count(Type.UNVERIFIED)).isEqualTo(1);
  }

  @Test
  void failedReadsAndFailedWritesAreIgnored() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.FAILED);
    add(Kind.READ, "a", 40, 50, Outcome.FAILED, Op.ABSENT, false);
    delete("a", 60, 70, Outcome.FAILED);
    read("a", 80, 90, 1);
    finalRead("a", 1);
    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aRefusedUploadThatShowsUpAtTheEndIsCaught() {
    write("a", 1, 0, 10, Outcome.OK);
    write("a", 2, 20, 30, Outcome.FAILED);
    finalRead("a", 2);
    Checker.Result r = check();
    assertThat(r.valid()).isFalse();
    assertThat(r.violations().getFirst().message()).contains("refused");
  }

  @Test
  void theHistoryRecordsOutcomesAndIdentifiesContent() {
    History history = new History();
    long id = history.nextWriteId();
    byte[] content = Content.of(id, 4096);
    history.registerContent(id, Content.sha256(content));
    assertThat(history.writeWithContent(Content.sha256(content))).isEqualTo(id);
    assertThat(history.writeWithContent(Content.sha256(Content.of(id + 1, 4096)))).isEqualTo(Op.CORRUPT);
    history.record(Kind.WRITE, "a", 1, history.now(), Outcome.OK, id, false, "201");
    history.record(Kind.READ, "a", 2, history.now(), Outcome.FAILED, Op.ABSENT, false, "503");
    assertThat(history.counts().get(Kind.WRITE).get(Outcome.OK)).isEqualTo(1);
    assertThat(history.counts().get(Kind.READ).get(Outcome.FAILED)).isEqualTo(1);
    assertThat(history.ops()).extracting(Op::id).containsExactly(1L, 2L);
  }
}
