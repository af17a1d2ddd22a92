package io.cairn.meta;

import java.util.List;
import java.util.Optional;

/**
 * Accounts, credentials and bucket ownership in the replicated metadata. Same consistency as {@link
 * MetaStore}: a mutation has been committed on a majority and applied on this node when it returns, and
 * every read here is linearizable, so a revoked token or a removed user is refused by every node as soon
 * as the revoking call returned.
 *
 * <p><b>Errors.</b> {@link io.cairn.common.CairnException}: ALREADY_EXISTS, NOT_FOUND, INVALID_ARGUMENT,
 * and the retryable NO_LEADER / TIMEOUT (the mutation may or may not have been applied).
 */
public interface AccessStore {

  /**
   * Creates {@code user}. With {@code onlyIfFirst}, creates it only when no account exists at all (the
   * bootstrap admin; several nodes may race and exactly one wins). Returns true if it was created;
   * ALREADY_EXISTS when a user of that name exists and {@code onlyIfFirst} is false.
   */
  boolean createUser(UserAccount user, boolean onlyIfFirst);

  /** Replaces an existing user's record (new password hash, role); NOT_FOUND if there is none. */
  void updateUser(UserAccount user);

  /**
   * Removes a user with all their tokens and access keys; NOT_FOUND if absent, INVALID_ARGUMENT when it is
   * the last admin. Buckets the user owned keep their owner name, so only admins can reach them.
   */
  void deleteUser(String name);

  Optional<UserAccount> user(String name);

  List<UserAccount> users();

  /** Stores a new token; ALREADY_EXISTS on an id clash, NOT_FOUND when its user does not exist. */
  void putToken(ApiToken token);

  /** Revokes a token; false when there was none. */
  boolean deleteToken(String id);

  Optional<ApiToken> token(String id);

  /** Stores a new access key; ALREADY_EXISTS on an id clash, NOT_FOUND when its user does not exist. */
  void putAccessKey(AccessKey key);

  /** Revokes an access key; false when there was none. */
  boolean deleteAccessKey(String id);

  Optional<AccessKey> accessKey(String id);

  /** Tokens and access keys of {@code user} (every user's when null). */
  Credentials credentials(String user);

  /** Creates an empty bucket owned by {@code owner} (null = no owner); false when it already exists. */
  boolean createBucket(String bucket, String owner);

  /** The bucket's record with its owner, if it exists. */
  Optional<BucketInfo> bucket(String name);

  /** A user's credentials, secrets excluded from {@code toString}. */
  record Credentials(List<ApiToken> tokens, List<AccessKey> accessKeys) {
    public Credentials {
      tokens = List.copyOf(tokens);
      accessKeys = List.copyOf(accessKeys);
    }
  }
}
