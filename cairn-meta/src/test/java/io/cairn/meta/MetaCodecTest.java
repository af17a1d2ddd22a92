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
      new MetaOp.RewrapKeys(List.of(new KeyRewrap("photos", "k", "f1", "2:d3JhcHBlZA=="))),
      new MetaOp.RemoveNode(2),
      new MetaOp.MoveReplica("photos", "k", "f1", 2, 3, 4),
      new MetaOp.GetFile("photos", "k"),
      new MetaOp.ListFiles(new ListQuery("photos", "2024/", "CAT", 10, "2024/a")),
      new MetaOp.Buckets(),
      new MetaOp.Nodes(),
      new MetaOp.PendingDeletions(100),
      new MetaOp.Unreferenced(List.of("c1")),
      new MetaOp.Locate(List.of("c1", "c2")),
      new MetaOp.CreateBucket("photos", 45L, "alice"),
      new MetaOp.CreateUser(new UserAccount("alice", "$argon2id$x", false, 1), false),
      new MetaOp.UpdateUser(new UserAccount("alice", "$argon2id$y", true, 1)),
      new MetaOp.DeleteUser("alice"),
      new MetaOp.PutToken(new ApiToken("t1", "alice", "h", "ci", 2)),
      new MetaOp.DeleteToken("t1"),
      new MetaOp.PutAccessKey(new AccessKey("AK", "alice", "sealed", 3)),
      new MetaOp.DeleteAccessKey("AK"),
      new MetaOp.GetUser("alice"),
      new MetaOp.Users(),
      new MetaOp.GetToken("t1"),
      new MetaOp.GetAccessKey("AK"),
      new MetaOp.GetCredentials(null),
      new MetaOp.GetBucket("photos"));

  @Test
  void everyOpRoundTrips() {
    assertThat(OPS.subList(0, OPS.size() - 14)).extracting(o -> o.getClass()).doesNotHaveDuplicates();
    // AccountMutation is one permitted subtype of Mutation with its own records below it.
    assertThat(OPS).hasSize(MetaOp.Mutation.class.getPermittedSubclasses().length - 1
        + MetaOp.AccountMutation.class.getPermittedSubclasses().length
        + MetaOp.Query.class.getPermittedSubclasses().length + 1);
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
        new MetaResult.Count(202),
        new MetaResult.Page(new ListPage(List.of(FileSummary.of(f)), "k")),
        new MetaResult.Page(new ListPage(List.of(), null)),
        new MetaResult.BucketList(List.of(new BucketInfo("b", 1, 2, 3))),
        new MetaResult.Deletions(List.of(new ChunkDeletion("c", List.of(1, 2), 7))),
        new MetaResult.ChunkIds(List.of("a", "b")),
        new MetaResult.NodeList(List.of(Fixtures.node(1), Fixtures.node(3))),
        new MetaResult.Locations(List.of(new ChunkLocation("b", "k", "f1", f.chunks().get(0)))),
        new MetaResult.User(new UserAccount("alice", "h", false, 1)),
        new MetaResult.User(null),
        new MetaResult.UserList(List.of(new UserAccount("alice", "h", true, 1))),
        new MetaResult.Token(new ApiToken("t", "alice", "h", "", 1)),
        new MetaResult.Key(new AccessKey("AK", "alice", "s", 1)),
        new MetaResult.CredentialList(List.of(new ApiToken("t", "alice", "h", "", 1)), List.of()),
        new MetaResult.Bucket(new BucketInfo("b", 1, 2, 3, "alice")));
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
