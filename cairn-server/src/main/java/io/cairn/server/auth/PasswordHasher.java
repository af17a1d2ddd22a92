package io.cairn.server.auth;

import io.cairn.common.CairnException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle), encoded in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} so the cost can be raised later
 * without breaking stored hashes: verification reads the parameters from the string.
 *
 * <p>Default cost: 19 MiB, 2 passes, 1 lane (the OWASP minimum for Argon2id). Verifying costs tens of
 * milliseconds on purpose; the {@link Accounts} cache keeps that off the per-request path.
 */
public final class PasswordHasher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final int HASH_BYTES = 32;

  private final int memoryKib;
  private final int passes;

  public PasswordHasher(int memoryKib, int passes) {
    if (memoryKib < 8 || passes < 1) {
      throw new IllegalArgumentException("argon2 needs memory >= 8 KiB and passes >= 1");
    }
    this.memoryKib = memoryKib;
    this.passes = passes;
  }

  public static PasswordHasher standard() {
    return new PasswordHasher(19 * 1024, 2);
  }

  /** A new salted hash of {@code password}. */
  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] h = derive(password, salt, memoryKib, passes, 1);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + passes + ",p=1$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(h);
  }

  /** True when {@code password} matches {@code encoded}; false for a wrong password or a malformed hash. */
  public boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      int m = 0;
      int t = 0;
      int p = 0;
      for (String kv : parts[3].split(",")) {
        int v = Integer.parseInt(kv.substring(2));
        switch (kv.substring(0, 2)) {
          case "m=" -> m = v;
          case "t=" -> t = v;
          case "p=" -> p = v;
          default -> {
            return false;
          }
        }
      }
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = derive(password, B64D.decode(parts[4]), m, t, p);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int passes, int lanes) {
    if (memoryKib < 8 || memoryKib > 1 << 20 || passes < 1 || passes > 16 || lanes < 1 || lanes > 8) {
      throw CairnException.invalid("argon2 parameters out of range");
    }
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(passes)
        .withParallelism(lanes)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[HASH_BYTES];
    gen.generateBytes(password.toCharArray(), out);
    return out;
  }
}
