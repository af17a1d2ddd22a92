package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaCodecTest {
  static final List<MetaOp> OPS = List.of(
      new MetaOp.PutFile(Fixtures.file("photos", "2024/cat.jpg", "f1", 3), true, 42L),
      new MetaOp.DeleteFile("photos", "2024/cat.jpg", 43L),
      new MetaOp.CreateBucket("photos", 44L),
      new MetaOp.DeleteBucket("photos"),
      new MetaOp.UpdateReplicas("photos", "k", "f1", 2, List.of(3, 1)),
      new MetaOp.CompleteDeletions(List.of("c1", "c2")),
      new MetaOp.RegisterNode(Fixtures.node(2)),
      new MetaOp.SetNodeState(2, NodeState.DEAD),
      new MetaOp.RemoveNode(2),
      new MetaOp.MoveReplica("photos", "k", "f1", 2, 3, 4),
      new MetaOp.GetFile("photos", "k"),
      new MetaOp.ListFiles(new ListQuery("photos", "2024/", "CAT", 10, "2024/a")),
      new MetaOp.Buckets(),
      new MetaOp.Nodes(),
      new MetaOp.PendingDeletions(100),
      new MetaOp.Unreferenced(List.of("c1")),
      new MetaOp.Locate(List.of("c1", "c2")));

  @Test
  void everyOpRoundTrips() {
    assertThat(OPS).extracting(o -> o.getClass()).doesNotHaveDuplicates();
    assertThat(OPS).hasSize(MetaOp.Mutation.class.getPermittedSubclasses().length
        + MetaOp.Query.class.getPermittedSubclasses().length);
    for (MetaOp op : OPS) {
      byte[] bytes = MetaCodec.encodeOp(op);
      assertThat(bytes[0]).isEqualTo(MetaCodec.FORMAT_V1);
      assertThat(MetaCodec.decodeOp(bytes)).as(op.getClass().getSimpleName()).isEqualTo(op);
    }
  }

  @Test
  void everyResultRoundTrips() {
    var f = Fixtures.file("b", "k", "f1", 2);
    List<MetaResult> results = List.of(
        new MetaResult.Failure(ErrorCode.BUCKET_NOT_EMPTY, "bucket b is not empty"),
        new MetaResult.FileResult(f),
        new MetaResult.FileResult(null),
        new MetaResult.Flag(true),
        new MetaResult.Page(new ListPage(List.of(FileSummary.of(f)), "k")),
        new MetaResult.Page(new ListPage(List.of(), null)),
        new MetaResult.BucketList(List.of(new BucketInfo("b", 1, 2, 3))),
        new MetaResult.Deletions(List.of(new ChunkDeletion("c", List.of(1, 2), 7))),
        new MetaResult.ChunkIds(List.of("a", "b")),
        new MetaResult.NodeList(List.of(Fixtures.node(1), Fixtures.node(3))),
        new MetaResult.Locations(List.of(new ChunkLocation("b", "k", "f1", f.chunks().get(0)))));
    for (MetaResult r : results) {
      assertThat(MetaCodec.decodeResult(MetaCodec.encodeResult(r))).isEqualTo(r);
    }
  }

  @Test
  void nodeStateIsStoredAsItsCode() {
    String json = new String(MetaCodec.value(Fixtures.node(1).withState(NodeState.DECOMMISSIONED)),
        StandardCharsets.UTF_8);
    assertThat(json).contains("\"state\":4").doesNotContain("DECOMMISSIONED");
  }

  @Test
  void failureSurfacesWithItsCode() {
    MetaResult r = new MetaResult.Failure(ErrorCode.NO_SUCH_BUCKET, "no bucket x");
    assertThatThrownBy(() -> r.expect(MetaResult.Flag.class))
        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_BUCKET));
  }

  @Test
  void unknownFormatIsRefused() {
    byte[] bytes = MetaCodec.encodeOp(new MetaOp.Nodes());
    bytes[0] = 9;
    assertThatThrownBy(() -> MetaCodec.decodeOp(bytes)).isInstanceOf(CairnException.class)
        .hasMessageContaining("format 9");
    assertThatThrownBy(() -> MetaCodec.decodeOp(new byte[] {1, '{'})).isInstanceOf(CairnException.class);
  }
}
