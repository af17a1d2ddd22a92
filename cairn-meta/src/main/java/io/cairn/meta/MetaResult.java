package io.cairn.meta;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.NodeInfo;
import java.util.List;

/**
 * What applying a {@link MetaOp} produced. Expected refusals (the bucket is not empty, the file exists)
 * are results too, a {@link Failure}, so that they reach the caller with their {@link ErrorCode} instead
 * of surfacing as a generic Raft state machine exception.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "r")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetaResult.Failure.class, name = "Failure"),
    @JsonSubTypes.Type(value = MetaResult.FileResult.class, name = "File"),
    @JsonSubTypes.Type(value = MetaResult.Flag.class, name = "Flag"),
    @JsonSubTypes.Type(value = MetaResult.Count.class, name = "Count"),
    @JsonSubTypes.Type(value = MetaResult.Page.class, name = "Page"),
    @JsonSubTypes.Type(value = MetaResult.BucketList.class, name = "BucketList"),
    @JsonSubTypes.Type(value = MetaResult.Deletions.class, name = "Deletions"),
    @JsonSubTypes.Type(value = MetaResult.ChunkIds.class, name = "ChunkIds"),
    @JsonSubTypes.Type(value = MetaResult.NodeList.class, name = "NodeList"),
    @JsonSubTypes.Type(value = MetaResult.Locations.class, name = "Locations"),
    @JsonSubTypes.Type(value = MetaResult.User.class, name = "User"),
    @JsonSubTypes.Type(value = MetaResult.UserList.class, name = "UserList"),
    @JsonSubTypes.Type(value = MetaResult.Token.class, name = "Token"),
    @JsonSubTypes.Type(value = MetaResult.Key.class, name = "Key"),
    @JsonSubTypes.Type(value = MetaResult.CredentialList.class, name = "CredentialList"),
    @JsonSubTypes.Type(value = MetaResult.Bucket.class, name = "Bucket"),
})
sealed interface MetaResult {

  record Failure(ErrorCode code, String message) implements MetaResult {}

  /** A file, or null when there is none (not found, nothing replaced). */
  record FileResult(FileRecord file) implements MetaResult {}

  record Flag(boolean value) implements MetaResult {}

  record Count(long value) implements MetaResult {}

  record Page(ListPage page) implements MetaResult {}

  record BucketList(List<BucketInfo> buckets) implements MetaResult {
    public BucketList {
      buckets = List.copyOf(buckets);
    }
  }

  record Deletions(List<ChunkDeletion> deletions) implements MetaResult {
    public Deletions {
      deletions = List.copyOf(deletions);
    }
  }

  record ChunkIds(List<String> chunkIds) implements MetaResult {
    public ChunkIds {
      chunkIds = List.copyOf(chunkIds);
    }
  }

  record NodeList(List<NodeInfo> nodes) implements MetaResult {
    public NodeList {
      nodes = List.copyOf(nodes);
    }
  }

  record Locations(List<ChunkLocation> locations) implements MetaResult {
    public Locations {
      locations = List.copyOf(locations);
    }
  }

  /** A user, or null when there is none. */
  record User(UserAccount user) implements MetaResult {}

  record UserList(List<UserAccount> users) implements MetaResult {
    public UserList {
      users = List.copyOf(users);
    }
  }

  /** A token, or null when there is none. */
  record Token(ApiToken token) implements MetaResult {}

  /** An access key, or null when there is none. */
  record Key(AccessKey key) implements MetaResult {}

  record CredentialList(List<ApiToken> tokens, List<AccessKey> keys) implements MetaResult {
    public CredentialList {
      tokens = List.copyOf(tokens);
      keys = List.copyOf(keys);
    }
  }

  /** A bucket, or null when there is none. */
  record Bucket(BucketInfo bucket) implements MetaResult {}

  static Failure failure(CairnException e) {
    return new Failure(e.code(), e.getMessage());
  }

  /** This result as {@code type}; a {@link Failure} is thrown as the CairnException it stands for. */
  default <T extends MetaResult> T expect(Class<T> type) {
    if (this instanceof Failure f) {
      throw new CairnException(f.code(), f.message());
    }
    if (!type.isInstance(this)) {
      throw new CairnException(ErrorCode.INTERNAL,
          "metadata answered " + getClass().getSimpleName() + " where " + type.getSimpleName() + " was expected");
    }
    return type.cast(this);
  }
}
