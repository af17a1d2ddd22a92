package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine's semantics on RocksDB, without Raft. */
class MetaDbTest extends MetaDbFixture {
  <T extends MetaResult> T apply(MetaOp.Mutation op, Class<T> type) {
    return apply(op).expect(type);
  }

  FileRecord put(FileRecord f, boolean ifAbsent) {
    // nowMillis = 1000 + the number of entries applied before this one
    return apply(new MetaOp.PutFile(f, ifAbsent, 1000 + index), MetaResult.FileResult.class).file();
  }

  BucketInfo bucket(String name) {
    return MetaQueries.buckets(db).stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  List<String> pendingIds() {
    return MetaQueries.pendingDeletions(db, 1000).stream().map(ChunkDeletion::chunkId).toList();
  }

  @Test
  void putCreatesBucketAndCountsFilesAndBytes() {
    assertThat(put(Fixtures.file("b", "k1", "f1", 2), false)).isNull();
    put(Fixtures.file("b", "k2", "f2", 3), false);
    assertThat(bucket("b")).isEqualTo(new BucketInfo("b", 1000, 2, 500));
    assertThat(MetaQueries.run(db, new MetaOp.GetFile("b", "k1")))
        .isEqualTo(new MetaResult.FileResult(Fixtures.file("b", "k1", "f1", 2)));
    assertThat(db.lastApplied()).isEqualTo(new MetaDb.Applied(1, 2));
  }

  @Test
  void overwriteQueuesOnlyTheOldChunksAndKeepsCounts() {
    put(Fixtures.file("b", "k", "f1", 3), false);
    FileRecord v2 = Fixtures.file("b", "k", "f2", 1);
    FileRecord replaced = put(v2, false);
    assertThat(replaced.fileId()).isEqualTo("f1");
    assertThat(pendingIds()).containsExactly("f1-0", "f1-1", "f1-2");
    assertThat(MetaQueries.pendingDeletions(db, 10).get(0))
        .isEqualTo(new ChunkDeletion("f1-0", List.of(1, 2), 1001));
    assertThat(bucket("b").files()).isEqualTo(1);
    assertThat(bucket("b").bytes()).isEqualTo(100);
    assertThat(MetaQueries.unreferenced(db, List.of("f1-0", "f2-0", "nope"))).containsExactly("f1-0", "nope");
  }

  @Test
  void repeatedPutOfTheSameVersionIsHarmless() {
    FileRecord f = Fixtures.file("b", "k", "f1", 2);
    put(f, true);
    assertThat(put(f, true)).as("retried ifAbsent put").isNull();
    assertThat(put(f, false)).as("retried plain put").isNull();
    assertThat(pendingIds()).isEmpty();
    assertThat(bucket("b").files()).isEqualTo(1);
    assertThat(bucket("b").bytes()).isEqualTo(200);
  }

  @Test
  void ifAbsentRefusesAnotherVersionAndChangesNothing() {
    put(Fixtures.file("b", "k", "f1", 1), true);
    MetaResult r = apply(new MetaOp.PutFile(Fixtures.file("b", "k", "f2", 1), true, 5));
    assertThat(r).isEqualTo(new MetaResult.Failure(ErrorCode.ALREADY_EXISTS, "b/k already exists"));
    assertThat(MetaQueries.run(db, new MetaOp.GetFile("b", "k")).expect(MetaResult.FileResult.class).file().fileId())
        .isEqualTo("f1");
    assertThat(pendingIds()).isEmpty();
    assertThat(db.lastApplied().index()).as("a refusal still advances lastApplied").isEqualTo(index);
  }

  @Test
  void deleteQueuesChunksAndUpdatesCounts() {
    put(Fixtures.file("b", "k", "f1", 2), false);
    put(Fixtures.file("b", "other", "f9", 1), false);
    var removed = apply(new MetaOp.DeleteFile("b", "k", 77), MetaResult.FileResult.class).file();
    assertThat(removed.fileId()).isEqualTo("f1");
    assertThat(apply(new MetaOp.DeleteFile("b", "k", 78), MetaResult.FileResult.class).file()).isNull();
    assertThat(MetaQueries.pendingDeletions(db, 10))
        .containsExactly(new ChunkDeletion("f1-0", List.of(1, 2), 77), new ChunkDeletion("f1-1", List.of(1, 2), 77));
    assertThat(bucket("b")).extracting(BucketInfo::files, BucketInfo::bytes).containsExactly(1L, 100L);

    apply(new MetaOp.CompleteDeletions(List.of("f1-0", "unknown")));
    assertThat(pendingIds()).containsExactly("f1-1");
  }

  @Test
  void deletionQueueIsOldestFirstAndLimited() {
    for (int i = 0; i < 5; i++) {
      put(Fixtures.file("b", "k" + i, "f" + i, 2), false);
      apply(new MetaOp.DeleteFile("b", "k" + i, i));
    }
    assertThat(MetaQueries.pendingDeletions(db, 3)).extracting(ChunkDeletion::chunkId)
        .containsExactly("f0-0", "f0-1", "f1-0");
  }

  @Test
  void chunkReferencedAgainLeavesTheQueue() {
    put(Fixtures.file("b", "k", "f1", 1), false);
    apply(new MetaOp.DeleteFile("b", "k", 1));
    assertThat(pendingIds()).containsExactly("f1-0");
    FileRecord reuse = Fixtures.file("b", "k2", "f2", 0).withChunks(Fixtures.file("b", "k", "f1", 1).chunks());
    put(reuse, false);
    assertThat(pendingIds()).isEmpty();
    assertThat(MetaQueries.unreferenced(db, List.of("f1-0"))).isEmpty();
  }

  @Test
  void locateFindsTheCurrentVersionOfEachReferencedChunk() {
    put(Fixtures.file("b", "k1", "f1", 2), false);
    put(Fixtures.file("c", "k2", "f2", 1), false);
    List<ChunkLocation> found = MetaQueries.locate(db, List.of("f1-1", "f2-0", "nope"));
    assertThat(found).extracting(l -> l.bucket() + "/" + l.key() + "#" + l.chunk().index())
        .containsExactly("b/k1#1", "c/k2#0");
    put(Fixtures.file("b", "k1", "f3", 1), false);
    assertThat(MetaQueries.locate(db, List.of("f1-1"))).as("replaced version").isEmpty();
  }

  @Test
  void scanVisitsEveryFileOfEveryBucketInPages() {
    for (int i = 0; i < 5; i++) {
      put(Fixtures.file("b" + (i % 2), "k" + i, "f" + i, 1), false);
    }
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      FileScan page = MetaQueries.scanFiles(db, cursor, 2);
      page.files().forEach(f -> seen.add(f.bucket() + "/" + f.key()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(seen).containsExactly("b0/k0", "b0/k2", "b0/k4", "b1/k1", "b1/k3");
  }

  @Test
  void bucketsCreateDeleteAndErrors() {
    assertThat(apply(new MetaOp.CreateBucket("a", 5), MetaResult.Flag.class).value()).isTrue();
    assertThat(apply(new MetaOp.CreateBucket("a", 6), MetaResult.Flag.class).value()).isFalse();
    assertThat(bucket("a").createdMillis()).isEqualTo(5);
    put(Fixtures.file("a", "k", "f", 1), false);
    assertCode(apply(new MetaOp.DeleteBucket("a")), ErrorCode.BUCKET_NOT_EMPTY);
    assertCode(apply(new MetaOp.DeleteBucket("zzz")), ErrorCode.NO_SUCH_BUCKET);
    apply(new MetaOp.DeleteFile("a", "k", 7));
    apply(new MetaOp.DeleteBucket("a"), MetaResult.Flag.class);
    assertThat(MetaQueries.buckets(db)).isEmpty();
  }

  @Test
  void bucketsListInNameOrder() {
    for (String b : List.of("zeta", "alpha", "alpha.b", "mid")) {
      apply(new MetaOp.CreateBucket(b, 1));
    }
    assertThat(MetaQueries.buckets(db)).extracting(BucketInfo::name).containsExactly("alpha", "alpha.b", "mid", "zeta");
  }

  @Test
  void listingWithPrefixContainsCursorAndLimit() {
    for (String k : List.of("docs/a.txt", "docs/B.TXT", "docs/c.md", "img/a.png", "readme", "docs/sub/x.txt")) {
      put(Fixtures.file("b", k, "id-" + k, 1), false);
    }
    put(Fixtures.file("b.other", "docs/zzz", "z", 1), false); // a neighbouring bucket must not leak in
    assertThat(keys(list(new ListQuery("b", "", "", 100, null)))).containsExactly(
        "docs/B.TXT", "docs/a.txt", "docs/c.md", "docs/sub/x.txt", "img/a.png", "readme");
    assertThat(keys(list(new ListQuery("b", "docs/", ".txt", 100, null))))
        .containsExactly("docs/B.TXT", "docs/a.txt", "docs/sub/x.txt");

    ListPage p1 = list(new ListQuery("b", "docs/", "", 2, null));
    assertThat(keys(p1)).containsExactly("docs/B.TXT", "docs/a.txt");
    assertThat(p1.nextCursor()).isEqualTo("docs/a.txt");
    ListPage p2 = list(new ListQuery("b", "docs/", "", 2, p1.nextCursor()));
    assertThat(keys(p2)).containsExactly("docs/c.md", "docs/sub/x.txt");
    assertThat(p2.nextCursor()).as("nothing after the last page").isNull();

    ListPage c1 = list(new ListQuery("b", "", "A.", 1, null));
    assertThat(keys(c1)).containsExactly("docs/a.txt");
    ListPage c2 = list(new ListQuery("b", "", "A.", 1, c1.nextCursor()));
    assertThat(keys(c2)).containsExactly("img/a.png");
    assertThat(c2.nextCursor()).isNull();

    assertThat(keys(list(new ListQuery("b", "docs/", "", 10, "a")))).hasSize(4); // cursor before prefix
    assertThat(keys(list(new ListQuery("b", "docs/", "", 10, "zzz")))).isEmpty();
    FileSummary s = list(new ListQuery("b", "readme", "", 1, null)).files().get(0);
    assertThat(s).isEqualTo(FileSummary.of(Fixtures.file("b", "readme", "id-readme", 1)));
  }

  @Test
  void listingAnUnknownBucketFails() {
    assertCode(MetaQueries.run(db, new MetaOp.ListFiles(new ListQuery("nope", "", "", 1, null))),
        ErrorCode.NO_SUCH_BUCKET);
    apply(new MetaOp.CreateBucket("empty", 1));
    assertThat(list(new ListQuery("empty", "", "", 10, null))).isEqualTo(new ListPage(List.of(), null));
  }

  @Test
  void updateReplicasOnlyForTheCurrentVersion() {
    put(Fixtures.file("b", "k", "f1", 3), false);
    assertThat(apply(new MetaOp.UpdateReplicas("b", "k", "f1", 1, List.of(3, 4)), MetaResult.Flag.class).value())
        .isTrue();
    assertThat(apply(new MetaOp.UpdateReplicas("b", "k", "old", 1, List.of(5)), MetaResult.Flag.class).value())
        .isFalse();
    assertThat(apply(new MetaOp.UpdateReplicas("b", "k", "f1", 9, List.of(5)), MetaResult.Flag.class).value())
        .isFalse();
    FileRecord f = MetaQueries.run(db, new MetaOp.GetFile("b", "k")).expect(MetaResult.FileResult.class).file();
    assertThat(f.chunks()).extracting(c -> c.replicas()).containsExactly(List.of(1, 2), List.of(3, 4), List.of(1, 2));
  }

  @Test
  void moveReplicaIsACompareAndSetOnTheVersionAndTheReplicaList() {
    put(Fixtures.file("b", "k", "f1", 3), false);
    assertThat(apply(new MetaOp.MoveReplica("b", "k", "f1", 1, 1, 3), MetaResult.Flag.class).value()).isTrue();
    assertThat(apply(new MetaOp.MoveReplica("b", "k", "f1", 1, 1, 4), MetaResult.Flag.class).value())
        .as("source no longer listed").isFalse();
    assertThat(apply(new MetaOp.MoveReplica("b", "k", "f1", 0, 2, 1), MetaResult.Flag.class).value())
        .as("target already listed").isFalse();
    assertThat(apply(new MetaOp.MoveReplica("b", "k", "old", 0, 1, 3), MetaResult.Flag.class).value())
        .as("file overwritten meanwhile").isFalse();
    assertThat(apply(new MetaOp.MoveReplica("b", "k", "f1", 9, 1, 3), MetaResult.Flag.class).value()).isFalse();
    FileRecord f = MetaQueries.run(db, new MetaOp.GetFile("b", "k")).expect(MetaResult.FileResult.class).file();
    assertThat(f.chunks()).extracting(c -> c.replicas()).containsExactly(List.of(1, 2), List.of(3, 2), List.of(1, 2));
  }

  @Test
  void onlyADecommissionedNodeLeavesTheRegistry() {
    apply(new MetaOp.RegisterNode(Fixtures.node(2)));
    assertCode(apply(new MetaOp.RemoveNode(2)), ErrorCode.INVALID_ARGUMENT);
    assertThat(MetaQueries.nodes(db)).hasSize(1);
    apply(new MetaOp.SetNodeState(2, NodeState.DECOMMISSIONED));
    assertThat(apply(new MetaOp.RemoveNode(2), MetaResult.Flag.class).value()).isTrue();
    assertThat(MetaQueries.nodes(db)).isEmpty();
    assertThat(apply(new MetaOp.RemoveNode(2), MetaResult.Flag.class).value()).isFalse();
  }

  @Test
  void nodeRegistryKeepsAgreedState() {
    apply(new MetaOp.RegisterNode(Fixtures.node(2)));
    assertThat(MetaQueries.nodes(db)).containsExactly(Fixtures.node(2).withState(NodeState.ALIVE));
    assertThat(apply(new MetaOp.SetNodeState(2, NodeState.DEAD), MetaResult.Flag.class).value()).isTrue();
    assertThat(apply(new MetaOp.SetNodeState(2, NodeState.DEAD), MetaResult.Flag.class).value()).isFalse();
    var moved = Fixtures.node(2);
    apply(new MetaOp.RegisterNode(new io.cairn.common.NodeInfo(2, "http://h:1", "http://h:2", "h:3", 5, "z",
        NodeState.ALIVE)));
    assertThat(MetaQueries.nodes(db)).singleElement().satisfies(n -> {
      assertThat(n.httpAddress()).isEqualTo("http://h:1");
      assertThat(n.state()).as("re-registering keeps the agreed state").isEqualTo(NodeState.DEAD);
    });
    apply(new MetaOp.RegisterNode(Fixtures.node(1)));
    assertThat(MetaQueries.nodes(db)).extracting(n -> n.id()).containsExactly(1, 2);
    assertCode(apply(new MetaOp.SetNodeState(7, NodeState.DEAD)), ErrorCode.NOT_FOUND);
    assertThat(moved.state()).isEqualTo(NodeState.SUSPECT);
  }

  @Test
  void entriesAtOrBelowLastAppliedAreSkipped() {
    MetaApplier.apply(db, new MetaOp.CreateBucket("a", 1), new MetaDb.Applied(2, 10));
    assertThat(MetaApplier.apply(db, new MetaOp.CreateBucket("b", 1), new MetaDb.Applied(2, 10))).isNull();
    assertThat(MetaApplier.apply(db, new MetaOp.CreateBucket("c", 1), new MetaDb.Applied(1, 9))).isNull();
    assertThat(MetaQueries.buckets(db)).extracting(BucketInfo::name).containsExactly("a");
    MetaApplier.skip(db, new MetaDb.Applied(3, 11));
    assertThat(db.lastApplied()).isEqualTo(new MetaDb.Applied(3, 11));
  }

  @Test
  void stateSurvivesReopen() {
    put(Fixtures.file("b", "k", "f1", 1), false);
    db.close();
    db = MetaDb.open(dir.resolve("db"));
    assertThat(db.lastApplied()).isEqualTo(new MetaDb.Applied(1, 1));
    assertThat(bucket("b").files()).isEqualTo(1);
  }

  @Test
  void closedDatabaseRefusesCalls() {
    db.close();
    assertThatThrownBy(() -> db.lastApplied()).isInstanceOfSatisfying(CairnException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  private ListPage list(ListQuery q) {
    return MetaQueries.run(db, new MetaOp.ListFiles(q)).expect(MetaResult.Page.class).page();
  }

  private static List<String> keys(ListPage p) {
    List<String> out = new ArrayList<>();
    p.files().forEach(f -> out.add(f.key()));
    return out;
  }

  private static void assertCode(MetaResult r, ErrorCode code) {
    assertThat(r).isInstanceOfSatisfying(MetaResult.Failure.class, f -> assertThat(f.code()).isEqualTo(code));
  }
}
