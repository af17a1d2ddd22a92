package io.cairn.meta;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.cairn.common.FileRecord;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import java.util.List;

/**
 * Everything a client can ask of the metadata state machine. {@link Mutation}s travel through the Raft
 * log and must be applied identically on every node, so anything that varies between nodes (the clock,
 * random ids) is chosen by the proposer and carried in the op. {@link Query}s are answered from applied
 * state and never logged.
 *
 * <p>The type names below are part of the persisted format (they are written into the Raft log and
 * snapshots); rename a record if you like, but never its {@code name}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetaOp.PutFile.class, name = "PutFile"),
    @JsonSubTypes.Type(value = MetaOp.DeleteFile.class, name = "DeleteFile"),
    @JsonSubTypes.Type(value = MetaOp.CreateBucket.class, name = "CreateBucket"),
    @JsonSubTypes.Type(value = MetaOp.DeleteBucket.class, name = "DeleteBucket"),
    @JsonSubTypes.Type(value = MetaOp.UpdateReplicas.class, name = "UpdateReplicas"),
    @JsonSubTypes.Type(value = MetaOp.CompleteDeletions.class, name = "CompleteDeletions"),
    @JsonSubTypes.Type(value = MetaOp.RegisterNode.class, name = "RegisterNode"),
    @JsonSubTypes.Type(value = MetaOp.SetNodeState.class, name = "SetNodeState"),
    @JsonSubTypes.Type(value = MetaOp.RewrapKeys.class, name = "RewrapKeys"),

    @JsonSubTypes.Type(value = MetaOp.RemoveNode.class, name = "RemoveNode"),
    @JsonSubTypes.Type(value = MetaOp.MoveReplica.class, name = "MoveReplica"),
    @JsonSubTypes.Type(value = MetaOp.GetFile.class, name = "GetFile"),
    @JsonSubTypes.Type(value = MetaOp.ListFiles.class, name = "ListFiles"),
    @JsonSubTypes.Type(value = MetaOp.Buckets.class, name = "Buckets"),
    @JsonSubTypes.Type(value = MetaOp.Nodes.class, name = "Nodes"),
    @JsonSubTypes.Type(value = MetaOp.PendingDeletions.class, name = "PendingDeletions"),
    @JsonSubTypes.Type(value = MetaOp.Unreferenced.class, name = "Unreferenced"),
    @JsonSubTypes.Type(value = MetaOp.Locate.class, name = "Locate"),
    @JsonSubTypes.Type(value = MetaOp.CreateUser.class, name = "CreateUser"),
    @JsonSubTypes.Type(value = MetaOp.UpdateUser.class, name = "UpdateUser"),
    @JsonSubTypes.Type(value = MetaOp.DeleteUser.class, name = "DeleteUser"),
    @JsonSubTypes.Type(value = MetaOp.PutToken.class, name = "PutToken"),
    @JsonSubTypes.Type(value = MetaOp.DeleteToken.class, name = "DeleteToken"),
    @JsonSubTypes.Type(value = MetaOp.PutAccessKey.class, name = "PutAccessKey"),
    @JsonSubTypes.Type(value = MetaOp.DeleteAccessKey.class, name = "DeleteAccessKey"),
    @JsonSubTypes.Type(value = MetaOp.GetUser.class, name = "GetUser"),
    @JsonSubTypes.Type(value = MetaOp.Users.class, name = "Users"),
    @JsonSubTypes.Type(value = MetaOp.GetToken.class, name = "GetToken"),
    @JsonSubTypes.Type(value = MetaOp.GetAccessKey.class, name = "GetAccessKey"),
    @JsonSubTypes.Type(value = MetaOp.GetCredentials.class, name = "GetCredentials"),
    @JsonSubTypes.Type(value = MetaOp.GetBucket.class, name = "GetBucket"),
})
sealed interface MetaOp {

  /** A change to the replicated state; goes through the Raft log. */
  sealed interface Mutation extends MetaOp {}

  /** A read of applied state; never logged. */
  sealed interface Query extends MetaOp {}

  /** Commits a file; {@code nowMillis} stamps a bucket created on the way and any queued deletions. */
  record PutFile(FileRecord file, boolean ifAbsent, long nowMillis) implements Mutation {}

  record DeleteFile(String bucket, String key, long nowMillis) implements Mutation {}

  /** {@code owner} is null for buckets created anonymously (and in entries written before owners existed). */
  record CreateBucket(String bucket, long nowMillis, String owner) implements Mutation {
    CreateBucket(String bucket, long nowMillis) {
      this(bucket, nowMillis, null);
    }
  }

  record DeleteBucket(String bucket) implements Mutation {}

  record UpdateReplicas(String bucket, String key, String fileId, int chunkIndex, List<Integer> replicas)
      implements Mutation {
    public UpdateReplicas {
      replicas = List.copyOf(replicas);
    }
  }

  record CompleteDeletions(List<String> chunkIds) implements Mutation {
    public CompleteDeletions {
      chunkIds = List.copyOf(chunkIds);
    }
  }

  record RegisterNode(NodeInfo node) implements Mutation {}

  record SetNodeState(int nodeId, NodeState state) implements Mutation {}

  /** Changes to accounts and credentials, applied by {@link AccountApplier}. */
  sealed interface AccountMutation extends Mutation {}

  /** With {@code onlyIfFirst}, applies only when no account exists at all (the bootstrap admin). */
  record CreateUser(UserAccount user, boolean onlyIfFirst) implements AccountMutation {}

  record UpdateUser(UserAccount user) implements AccountMutation {}

  /** Removes the user and every token and access key of theirs. */
  record DeleteUser(String name) implements AccountMutation {}

  record PutToken(ApiToken token) implements AccountMutation {}

  record DeleteToken(String id) implements AccountMutation {}

  record PutAccessKey(AccessKey key) implements AccountMutation {}

  record DeleteAccessKey(String id) implements AccountMutation {}

  record GetUser(String name) implements Query {}

  record Users() implements Query {}

  record GetToken(String id) implements Query {}

  record GetAccessKey(String id) implements Query {}

  /** Tokens and access keys of one user, or of everyone when {@code user} is null. */
  record GetCredentials(String user) implements Query {}

  record GetBucket(String name) implements Query {}

  /**
   * Replaces the wrapped data key of each listed file version (master key rotation). Carries only wrapped
   * keys, never key material; an entry whose file changed meanwhile (other fileId, or gone) is skipped.
   */
  record RewrapKeys(List<KeyRewrap> files) implements Mutation {
    public RewrapKeys {
      files = List.copyOf(files);
    }
  }

  /** Drops a DECOMMISSIONED node from the registry; refused for a node in any other state. */
  record RemoveNode(int nodeId) implements Mutation {}

  /**
   * Replaces replica {@code from} of one chunk by {@code to}, only while that file version is current,
   * the chunk still lists {@code from} and does not yet list {@code to} (compare-and-set: a concurrent
   * heal or overwrite wins and the move is dropped).
   */
  record MoveReplica(String bucket, String key, String fileId, int chunkIndex, int from, int to)
      implements Mutation {}

  record GetFile(String bucket, String key) implements Query {}

  record ListFiles(ListQuery query) implements Query {}

  record Buckets() implements Query {}

  record Nodes() implements Query {}

  record PendingDeletions(int limit) implements Query {}

  record Locate(List<String> chunkIds) implements Query {
    public Locate {
      chunkIds = List.copyOf(chunkIds);
    }
  }

  record Unreferenced(List<String> chunkIds) implements Query {
    public Unreferenced {
      chunkIds = List.copyOf(chunkIds);
    }
  }
}
