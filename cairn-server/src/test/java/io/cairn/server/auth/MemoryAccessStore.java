package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.AccessKey;
import io.cairn.meta.AccessStore;
import io.cairn.meta.ApiToken;
import io.cairn.meta.BucketInfo;
import io.cairn.meta.UserAccount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in a map, for tests of what sits above the replicated store (no buckets). */
final class MemoryAccessStore implements AccessStore {
  private final Map<String, UserAccount> users = new ConcurrentHashMap<>();
  private final Map<String, ApiToken> tokens = new ConcurrentHashMap<>();

  @Override
  public boolean createUser(UserAccount user, boolean onlyIfFirst) {
    if (onlyIfFirst && !users.isEmpty()) {
      return false;
    }
    if (users.putIfAbsent(user.name(), user) != null) {
      throw new CairnException(ErrorCode.ALREADY_EXISTS, "user " + user.name() + " exists");
    }
    return true;
  }

  @Override
  public void updateUser(UserAccount user) {
    if (users.replace(user.name(), user) == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no user " + user.name());
    }
  }

  @Override
  public void deleteUser(String name) {
    users.remove(name);
    tokens.values().removeIf(t -> t.user().equals(name));
  }

  @Override
  public Optional<UserAccount> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  @Override
  public List<UserAccount> users() {
    return List.copyOf(users.values());
  }

  @Override
  public void putToken(ApiToken token) {
    tokens.put(token.id(), token);
  }

  @Override
  public boolean deleteToken(String id) {
    return tokens.remove(id) != null;
  }

  @Override
  public Optional<ApiToken> token(String id) {
    return Optional.ofNullable(tokens.get(id));
  }

  @Override
  public void putAccessKey(AccessKey key) {
    throw new UnsupportedOperationException("no S3 keys here");
  }

  @Override
  public boolean deleteAccessKey(String id) {
    return false;
  }

  @Override
  public Optional<AccessKey> accessKey(String id) {
    return Optional.empty();
  }

  @Override
  public Credentials credentials(String user) {
    return new Credentials(tokens.values().stream().filter(t -> user == null || t.user().equals(user)).toList(),
        List.of());
  }

  @Override
  public boolean createBucket(String bucket, String owner) {
    throw new UnsupportedOperationException("no buckets here");
  }

  @Override
  public Optional<BucketInfo> bucket(String name) {
    return Optional.empty();
  }
}
