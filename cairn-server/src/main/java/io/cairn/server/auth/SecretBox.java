package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals small secrets (S3 secret access keys) with AES-256-GCM under a key derived from a cluster master
 * key, so the metadata (Raft log, RocksDB, snapshots) never holds them in clear. The associated data binds
 * a sealed secret to its access key id: a sealed value copied onto another id does not open.
 *
 * <p>A sealed value names the master key id it was sealed under ({@code id:base64}), so it opens with any
 * keyring that still holds that key, and {@link #reseal} moves it to the current key during a master key
 * rotation; after that the old master key can be dropped without losing the secret.
 */
final class SecretBox {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<Integer, SecretKeySpec> keys = new TreeMap<>();
  private final int current;

  /**
   * @param keysById a 32-byte sealing key per master key id held
   * @param current the id to seal new secrets under
   */
  SecretBox(Map<Integer, byte[]> keysById, int current) {
    keysById.forEach((id, k) -> keys.put(id, new SecretKeySpec(k, "AES")));
    if (!keys.containsKey(current)) {
      throw new IllegalArgumentException("no sealing key for the current master key id " + current);
    }
    this.current = current;
  }

  String seal(String secret, String boundTo) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, nonce));
      c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, out, 0, 12);
      System.arraycopy(ct, 0, out, 12, ct.length);
      return current + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot seal a secret: " + e.getMessage(), e);
    }
  }

  String open(String sealed, String boundTo) {
    int colon = sealed.indexOf(':');
    SecretKeySpec key = colon > 0 ? keys.get(keyId(sealed)) : null;
    if (key == null) {
      throw new CairnException(ErrorCode.INTERNAL, "the secret of " + boundTo + " is sealed under master key "
          + (colon > 0 ? sealed.substring(0, colon) : "?") + ", which this node does not hold");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(colon + 1));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot open the sealed secret of " + boundTo, e);
    }
  }

  /** The sealed value under the current key, or null when it already is. */
  String reseal(String sealed, String boundTo) {
    return keyId(sealed) == current ? null : seal(open(sealed, boundTo), boundTo);
  }

  static int keyId(String sealed) {
    int colon = sealed.indexOf(':');
    try {
      return colon > 0 ? Integer.parseInt(sealed.substring(0, colon)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
