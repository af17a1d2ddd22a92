package io.cairn.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.AccessKey;
import io.cairn.meta.AccessStore;
import io.cairn.meta.ApiToken;
import io.cairn.meta.UserAccount;
import io.cairn.server.s3.S3Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and credentials: creates users, tokens and access keys (hashing and sealing before anything
 * enters the Raft log) and verifies what requests present.
 *
 * <p><b>Freshness.</b> Every verification reads the account or token linearizably from the metadata
 * ({@link AccessStore}), so a revoked token, a removed user or a changed password is refused by every node
 * as soon as the call that changed it returned. The price is one Raft read (ReadIndex) per authenticated
 * request; anonymous dev-mode requests pay nothing. A local cache invalidated by a RaftListener would be
 * cheaper but leaves a window on followers that have not applied the revocation yet.
 *
 * <p><b>Password cost.</b> Argon2 is slow on purpose, so a successful check is remembered keyed by the
 * stored hash and a SHA-256 of the presented password: a password change (new stored hash) misses the
 * cache at once, and repeated Basic requests cost a hash lookup, not an Argon2 run.
 *
 * <p><b>Tokens.</b> {@code cairn_<id>_<secret>}: the id is public (the handle for revocation), only
 * SHA-256(secret) is stored. Secrets have 256 random bits, so a fast hash is enough.
 */
public final class Accounts {
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern USER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  public static final int MIN_PASSWORD_LENGTH = 8;

  private final AccessStore store;
  private final PasswordHasher hasher;
  private final SecretBox box;
  private final S3Credentials.KeyPair clusterPair;
  private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();

  /**
   * @param sealKeys 32 bytes derived from each master key held, by key id, for S3 secrets
   * @param currentKeyId the master key id new secrets are sealed under
   * @param clusterPair the cluster's own S3 key pair (configured or derived), which acts as an admin
   */
  public Accounts(AccessStore store, PasswordHasher hasher, Map<Integer, byte[]> sealKeys, int currentKeyId,
      S3Credentials.KeyPair clusterPair) {
    this.store = store;
    this.hasher = hasher;
    this.box = new SecretBox(sealKeys, currentKeyId);
    this.clusterPair = clusterPair;
  }

  // ---- users ----

  public UserAccount createUser(String name, String password, boolean admin) {
    checkName(name);
    checkPassword(password);
    UserAccount u = new UserAccount(name, hasher.hash(password), admin, System.currentTimeMillis());
    store.createUser(u, false);
    return u;
  }

  /** Creates the first admin unless any account exists; true if this call created it. */
  public boolean bootstrapAdmin(String name, String password) {
    UserAccount u = new UserAccount(name, hasher.hash(password), true, System.currentTimeMillis());
    return store.createUser(u, true);
  }

  public void setPassword(String name, String password) {
    checkPassword(password);
    UserAccount u = store.user(name).orElseThrow(() -> new CairnException(ErrorCode.NOT_FOUND, "no user " + name));
    store.updateUser(u.withPasswordHash(hasher.hash(password)));
  }

  public void deleteUser(String name) {
    store.deleteUser(name);
  }

  public List<UserAccount> users() {
    return store.users();
  }

  public Optional<UserAccount> user(String name) {
    return store.user(name);
  }

  public AccessStore.Credentials credentials(String user) {
    return store.credentials(user);
  }

  // ---- tokens and access keys ----

  /** A new bearer token for {@code user}; the returned string is shown once and stored nowhere. */
  public Issued createToken(String user, String label) {
    String id = randomId(12);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32)).replace('_', '-');
    store.putToken(new ApiToken(id, user, sha256(secret), label, System.currentTimeMillis()));
    return new Issued(id, "cairn_" + id + "_" + secret);
  }

  /** A new S3 key pair for {@code user}; the secret is stored sealed. */
  public Issued createAccessKey(String user) {
    String id = "CK" + randomId(18).toUpperCase(Locale.ROOT);
    String secret = Base64.getEncoder().withoutPadding().encodeToString(randomBytes(30)).replace('+', 'A')
        .replace('/', 'B');
    store.putAccessKey(new AccessKey(id, user, box.seal(secret, id), System.currentTimeMillis()));
    return new Issued(id, secret);
  }

  /**
   * Re-seals every stored S3 secret that is not yet under the current master key (part of a master key
   * rotation, so the old key can be dropped). Returns how many were re-sealed.
   */
  public long resealAccessKeys() {
    long n = 0;
    for (AccessKey k : store.credentials(null).accessKeys()) {
      String resealed = box.reseal(k.sealedSecret(), k.id());
      if (resealed != null) {
        store.putAccessKey(new AccessKey(k.id(), k.user(), resealed, k.createdMillis()));
        n++;
      }
    }
    if (n > 0) {
      log.info("re-sealed {} S3 secret(s) under the current master key", n);
    }
    return n;
  }

  /** The owner of a token or access key id, if it exists. */
  public Optional<String> credentialOwner(String id) {
    Optional<ApiToken> t = store.token(id);
    if (t.isPresent()) {
      return Optional.of(t.get().user());
    }
    return store.accessKey(id).map(AccessKey::user);
  }

  /** Revokes a token or an access key by id; false when neither exists. */
  public boolean revoke(String id) {
    return store.deleteToken(id) || store.deleteAccessKey(id);
  }

  // ---- verification ----

  /** The user behind a name and password; UNAUTHORIZED when either is wrong. */
  public Principal verifyPassword(String name, String password, String via) {
    UserAccount u = store.user(name).orElseThrow(Accounts::badCredentials);
    String cacheKey = u.name() + '\0' + u.passwordHash() + '\0' + sha256(password);
    if (verified.getIfPresent(cacheKey) == null) {
      if (!hasher.verify(password, u.passwordHash())) {
        throw badCredentials();
      }
      verified.put(cacheKey, Boolean.TRUE);
    }
    return Principal.user(u.name(), u.admin(), via);
  }

  /** The user behind a bearer token; UNAUTHORIZED for a malformed, unknown or revoked token. */
  public Principal verifyToken(String token) {
    String[] parts = token.split("_", 3);
    if (parts.length != 3 || !parts[0].equals("cairn") || parts[1].isEmpty()) {
      throw badCredentials();
    }
    ApiToken t = store.token(parts[1]).orElseThrow(Accounts::badCredentials);
    if (!MessageDigest.isEqual(t.secretHash().getBytes(StandardCharsets.UTF_8),
        sha256(parts[2]).getBytes(StandardCharsets.UTF_8))) {
      throw badCredentials();
    }
    UserAccount u = store.user(t.user()).orElseThrow(Accounts::badCredentials);
    return Principal.user(u.name(), u.admin(), "bearer");
  }

  /** The current user record, for sessions: empty when the user is gone. */
  Optional<UserAccount> currentUser(String name) {
    return store.user(name);
  }

  /** S3 key lookup: the cluster pair (an admin credential), then the users' access keys. */
  public S3Credentials s3Credentials() {
    return new S3Credentials() {
      @Override
      public Optional<String> secretFor(String accessKey) {
        if (accessKey.equals(clusterPair.accessKey())) {
          return Optional.of(clusterPair.secretKey());
        }
        return store.accessKey(accessKey).map(k -> box.open(k.sealedSecret(), k.id()));
      }

      @Override
      public Principal principalFor(String accessKey) {
        if (accessKey.equals(clusterPair.accessKey())) {
          return Principal.user(AdminBootstrap.ADMIN_USER, true, "s3");
        }
        AccessKey k = store.accessKey(accessKey).orElseThrow(Accounts::badCredentials);
        UserAccount u = store.user(k.user()).orElseThrow(Accounts::badCredentials);
        return Principal.user(u.name(), u.admin(), "s3");
      }
    };
  }

  static CairnException badCredentials() {
    return new CairnException(ErrorCode.UNAUTHORIZED, "invalid credentials");
  }

  static void checkName(String name) {
    if (name == null || !USER_NAME.matcher(name).matches()) {
      throw CairnException.invalid("user names are 1-63 characters of a-z, 0-9, '.', '_' and '-', starting "
          + "with a letter or digit; got '" + name + "'");
    }
  }

  static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > 1024) {
      throw CairnException.invalid("passwords are " + MIN_PASSWORD_LENGTH + " to 1024 characters long");
    }
  }

  static String randomPassword() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
  }

  private static String randomId(int n) {
    byte[] b = randomBytes(n);
    StringBuilder s = new StringBuilder(n);
    for (byte x : b) {
      s.append(ID_ALPHABET.charAt((x & 0xff) % 32));
    }
    return s.toString();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A credential as handed out once: its public id and the secret string to give the client. */
  public record Issued(String id, String secret) {
    @Override
    public String toString() {
      return "Issued[" + id + "]";
    }
  }

}
