package io.cairn.meta;

import static io.cairn.meta.Fixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.FileRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key rotation's state machine op: only the wrapped key of the named file version changes. */
class RewrapKeysTest extends MetaDbFixture {
  FileRecord get(String key) {
    return db.get(Keys.file("b", key), FileRecord.class);
  }

  @Test
  void rewrapChangesOnlyTheWrappedKeyOfTheNamedVersion() {
    FileRecord a = file("b", "a", "fa", 2);
    FileRecord c = file("b", "c", "fc", 1);
    apply(new MetaOp.PutFile(a, false, 1));
    apply(new MetaOp.PutFile(c, false, 2));
    List<String> pendingBefore = MetaQueries.pendingDeletions(db, 100).stream().map(ChunkDeletion::chunkId).toList();

    MetaResult r = apply(new MetaOp.RewrapKeys(List.of(
        new KeyRewrap("b", "a", "fa", "2:new-a"),
        new KeyRewrap("b", "c", "an-older-version", "2:new-c"),
        new KeyRewrap("b", "gone", "fx", "2:new-x"))));

    assertThat(r.expect(MetaResult.Count.class).value()).isEqualTo(1);
    assertThat(get("a")).isEqualTo(a.withWrappedKey("2:new-a"));
    assertThat(get("c")).isEqualTo(c);
    assertThat(get("gone")).isNull();
    assertThat(MetaQueries.pendingDeletions(db, 100).stream().map(ChunkDeletion::chunkId).toList())
        .isEqualTo(pendingBefore);
    // Applying the same entry again (a retry) changes nothing more.
    assertThat(apply(new MetaOp.RewrapKeys(List.of(new KeyRewrap("b", "a", "fa", "2:new-a"))))
        .expect(MetaResult.Count.class).value()).isZero();
  }

  @Test
  void theOpRoundTripsThroughTheLogCodec() {
    MetaOp op = new MetaOp.RewrapKeys(List.of(new KeyRewrap("b", "k", "f", "2:w")));
    assertThat(MetaCodec.decodeOp(MetaCodec.encodeOp(op))).isEqualTo(op);
  }
}
