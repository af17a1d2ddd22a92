package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies the account mutations (users, tokens, access keys) for {@link MetaApplier}, into the same
 * WriteBatch. Deterministic like the rest: password hashes, token hashes and sealed secrets are computed
 * by the proposer and carried in the op, so every replica stores the same bytes.
 */
final class AccountApplier {
  private AccountApplier() {}

  static MetaResult run(MetaDb db, BiConsumer<byte[], Object> put, Consumer<byte[]> delete,
      MetaOp.AccountMutation op) {
    return switch (op) {
      case MetaOp.CreateUser c -> createUser(db, put, c);
      case MetaOp.UpdateUser u -> {
        requireUser(db, u.user().name());
        put.accept(Keys.user(u.user().name()), u.user());
        yield new MetaResult.Flag(true);
      }
      case MetaOp.DeleteUser d -> deleteUser(db, delete, d.name());
      case MetaOp.PutToken t -> {
        requireUser(db, t.token().user());
        requireAbsent(db, Keys.token(t.token().id()), "token " + t.token().id());
        put.accept(Keys.token(t.token().id()), t.token());
        yield new MetaResult.Flag(true);
      }
      case MetaOp.DeleteToken t -> removeIfPresent(db, delete, Keys.token(t.id()));
      case MetaOp.PutAccessKey k -> {
        requireUser(db, k.key().user());
        requireAbsent(db, Keys.accessKey(k.key().id()), "access key " + k.key().id());
        put.accept(Keys.accessKey(k.key().id()), k.key());
        yield new MetaResult.Flag(true);
      }
      case MetaOp.DeleteAccessKey k -> removeIfPresent(db, delete, Keys.accessKey(k.id()));
    };
  }

  private static MetaResult createUser(MetaDb db, BiConsumer<byte[], Object> put, MetaOp.CreateUser c) {
    if (c.onlyIfFirst()) {
      if (!users(db).isEmpty()) {
        return new MetaResult.Flag(false); // another node bootstrapped first; nothing to do
      }
    } else {
      requireAbsent(db, Keys.user(c.user().name()), "user " + c.user().name());
    }
    put.accept(Keys.user(c.user().name()), c.user());
    return new MetaResult.Flag(true);
  }

  private static MetaResult deleteUser(MetaDb db, Consumer<byte[]> delete, String name) {
    UserAccount user = requireUser(db, name);
    if (user.admin() && users(db).stream().filter(UserAccount::admin).count() == 1) {
      throw CairnException.invalid("user " + name + " is the last admin; create another admin first");
    }
    for (ApiToken t : tokens(db, name)) {
      delete.accept(Keys.token(t.id()));
    }
    for (AccessKey k : accessKeys(db, name)) {
      delete.accept(Keys.accessKey(k.id()));
    }
    delete.accept(Keys.user(name));
    return new MetaResult.Flag(true);
  }

  private static MetaResult removeIfPresent(MetaDb db, Consumer<byte[]> delete, byte[] key) {
    if (db.get(key) == null) {
      return new MetaResult.Flag(false);
    }
    delete.accept(key);
    return new MetaResult.Flag(true);
  }

  private static UserAccount requireUser(MetaDb db, String name) {
    UserAccount u = db.get(Keys.user(name), UserAccount.class);
    if (u == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no user " + name);
    }
    return u;
  }

  private static void requireAbsent(MetaDb db, byte[] key, String what) {
    if (db.get(key) != null) {
      throw new CairnException(ErrorCode.ALREADY_EXISTS, what + " already exists");
    }
  }

  static List<UserAccount> users(MetaDb db) {
    return MetaQueries.all(db, Keys.USER, UserAccount.class);
  }

  /** Tokens of {@code user}, or every token when null. A full scan: accounts are few. */
  static List<ApiToken> tokens(MetaDb db, String user) {
    return MetaQueries.all(db, Keys.TOKEN, ApiToken.class).stream()
        .filter(t -> user == null || user.equals(t.user())).toList();
  }

  /** Access keys of {@code user}, or every key when null. */
  static List<AccessKey> accessKeys(MetaDb db, String user) {
    return MetaQueries.all(db, Keys.ACCESS_KEY, AccessKey.class).stream()
        .filter(k -> user == null || user.equals(k.user())).toList();
  }
}
