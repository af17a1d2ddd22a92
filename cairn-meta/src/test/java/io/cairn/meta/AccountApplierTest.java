package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.ErrorCode;
import org.junit.jupiter.api.Test;

/** Accounts, credentials and bucket owners on RocksDB, without Raft. */
class AccountApplierTest extends MetaDbFixture {
  MetaResult query(MetaOp.Query q) {
    return MetaQueries.run(db, q);
  }

  static UserAccount user(String name, boolean admin) {
    return new UserAccount(name, "hash-of-" + name, admin, 1);
  }

  @Test
  void bootstrapAdminIsCreatedOnlyOnceWhateverTheRace() {
    assertThat(apply(new MetaOp.CreateUser(user("admin", true), true)).expect(MetaResult.Flag.class).value()).isTrue();
    // A second node proposing its own bootstrap admin (another password) changes nothing.
    UserAccount other = new UserAccount("admin", "other-hash", true, 2);
    assertThat(apply(new MetaOp.CreateUser(other, true)).expect(MetaResult.Flag.class).value()).isFalse();
    assertThat(query(new MetaOp.GetUser("admin")).expect(MetaResult.User.class).user().passwordHash())
        .isEqualTo("hash-of-admin");
  }

  @Test
  void duplicateUserIsRefusedAndUnknownUserCannotGetTokens() {
    apply(new MetaOp.CreateUser(user("alice", false), false));
    assertThat(apply(new MetaOp.CreateUser(user("alice", false), false)))
        .isEqualTo(new MetaResult.Failure(ErrorCode.ALREADY_EXISTS, "user alice already exists"));
    assertThat(apply(new MetaOp.PutToken(new ApiToken("t1", "bob", "h", "", 1))))
        .isInstanceOf(MetaResult.Failure.class);
  }

  @Test
  void deletingAUserRevokesEveryCredentialOfTheirs() {
    apply(new MetaOp.CreateUser(user("admin", true), false));
    apply(new MetaOp.CreateUser(user("alice", false), false));
    apply(new MetaOp.PutToken(new ApiToken("t1", "alice", "h", "laptop", 1)));
    apply(new MetaOp.PutToken(new ApiToken("t2", "admin", "h", "", 1)));
    apply(new MetaOp.PutAccessKey(new AccessKey("AK1", "alice", "sealed", 1)));

    apply(new MetaOp.DeleteUser("alice"));

    var creds = query(new MetaOp.GetCredentials(null)).expect(MetaResult.CredentialList.class);
    assertThat(creds.tokens()).extracting(ApiToken::id).containsExactly("t2");
    assertThat(creds.keys()).isEmpty();
    assertThat(query(new MetaOp.GetUser("alice")).expect(MetaResult.User.class).user()).isNull();
  }

  @Test
  void lastAdminCannotBeDeleted() {
    apply(new MetaOp.CreateUser(user("admin", true), false));
    assertThat(apply(new MetaOp.DeleteUser("admin"))).isInstanceOf(MetaResult.Failure.class);
    assertThat(query(new MetaOp.Users()).expect(MetaResult.UserList.class).users()).hasSize(1);
  }

  @Test
  void revokedTokenIsGone() {
    apply(new MetaOp.CreateUser(user("alice", false), false));
    apply(new MetaOp.PutToken(new ApiToken("t1", "alice", "h", "", 1)));
    assertThat(apply(new MetaOp.DeleteToken("t1")).expect(MetaResult.Flag.class).value()).isTrue();
    assertThat(apply(new MetaOp.DeleteToken("t1")).expect(MetaResult.Flag.class).value()).isFalse();
    assertThat(query(new MetaOp.GetToken("t1")).expect(MetaResult.Token.class).token()).isNull();
  }

  @Test
  void bucketOwnerSurvivesPutsAndDeletes() {
    apply(new MetaOp.CreateBucket("photos", 5, "alice"));
    apply(new MetaOp.PutFile(Fixtures.file("photos", "a.jpg", "f1", 1), false, 6));
    BucketInfo b = query(new MetaOp.GetBucket("photos")).expect(MetaResult.Bucket.class).bucket();
    assertThat(b.owner()).isEqualTo("alice");
    assertThat(b.files()).isEqualTo(1);
    apply(new MetaOp.DeleteFile("photos", "a.jpg", 7));
    assertThat(query(new MetaOp.GetBucket("photos")).expect(MetaResult.Bucket.class).bucket().owner())
        .isEqualTo("alice");
  }

  @Test
  void accountOpsRoundTripThroughTheCodec() {
    MetaOp op = new MetaOp.CreateUser(user("alice", true), false);
    assertThat(MetaCodec.decodeOp(MetaCodec.encodeOp(op))).isEqualTo(op);
    MetaOp old = MetaCodec.decodeOp(MetaCodec.encodeOp(new MetaOp.CreateBucket("b", 1)));
    assertThat(old).isEqualTo(new MetaOp.CreateBucket("b", 1, null));
    byte[] legacy = "{\"name\":\"b\",\"createdMillis\":1,\"files\":2,\"bytes\":3}".getBytes();
    assertThat(MetaCodec.value(legacy, BucketInfo.class)).isEqualTo(new BucketInfo("b", 1, 2, 3, null));
  }
}
