package io.cairn.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption under the cluster's {@link MasterKey}: every file gets its own random data key,
 * stored in metadata only in wrapped (encrypted) form. Re-keying the cluster therefore means re-wrapping
 * small keys, never re-encrypting chunks.
 *
 * <p>Wrapped key layout: {@code <master key id>:} then base64 (standard alphabet, padded) of a 12-byte
 * random nonce, the AES-256-GCM ciphertext of the 32-byte data key and its 16-byte tag; the file id is
 * the associated data, so a wrapped key copied onto another file's record does not unwrap. Keys wrapped
 * under master key 1 carry no prefix (the format before key ids existed, still written for key 1).
 *
 * <p>Thread-safe: a Cipher or Mac is created per call, and SecureRandom is safe to share.
 */
public final class Envelope {
  public static final int DATA_KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  private static final int WRAPPED_LENGTH = NONCE_LENGTH + DATA_KEY_LENGTH + TAG_LENGTH;

  private final Keyring keyring;
  private final SecureRandom random = new SecureRandom();

  /** An envelope over one master key. */
  public Envelope(MasterKey master) {
    this(master == null ? null : Keyring.of(master));
  }

  /** An envelope that wraps under the keyring's current key and unwraps under any key it holds. */
  public Envelope(Keyring keyring) {
    if (keyring == null) {
      throw CairnException.invalid("master key is required");
    }
    this.keyring = keyring;
  }

  public Keyring keyring() {
    return keyring;
  }

  /** The id of the master key {@code wrapped} was wrapped under (1 when it has no id prefix). */
  public static int keyId(String wrapped) {
    int colon = wrapped == null ? -1 : wrapped.indexOf(':');
    if (colon < 0) {
      return 1;
    }
    try {
      return Integer.parseInt(wrapped, 0, colon, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * {@code wrapped} re-wrapped under the current master key, or the same string if it already is. The
   * data key itself, and so every chunk encrypted under it, is unchanged.
   */
  public String rewrap(String wrapped, String fileId) {
    if (keyId(wrapped) == keyring.current().id()) {
      return wrapped;
    }
    byte[] dataKey = unwrap(wrapped, fileId);
    try {
      return wrap(dataKey, fileId);
    } finally {
      java.util.Arrays.fill(dataKey, (byte) 0);
    }
  }

  /** A fresh random 32-byte data key for one file. */
  public byte[] newDataKey() {
    byte[] k = new byte[DATA_KEY_LENGTH];
    random.nextBytes(k);
    return k;
  }

  /** Encrypts {@code dataKey} for storage in the record of file {@code fileId}. */
  public String wrap(byte[] dataKey, String fileId) {
    checkDataKey(dataKey);
    MasterKey master = keyring.current();
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] out = new byte[WRAPPED_LENGTH];
    System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
    try {
      Cipher c = cipher(master, Cipher.ENCRYPT_MODE, out, fileId);
      c.doFinal(dataKey, 0, dataKey.length, out, NONCE_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not wrap the data key of file " + fileId + ": " + e, e);
    }
    String b64 = Base64.getEncoder().encodeToString(out);
    return master.id() == 1 ? b64 : master.id() + ":" + b64;
  }

  /**
   * Decrypts a key made by {@link #wrap} for the same {@code fileId}. Throws INTERNAL if it was wrapped
   * under another master key, for another file, or is damaged.
   */
  public byte[] unwrap(String wrapped, String fileId) {
    int id = keyId(wrapped);
    MasterKey master = id < 1 ? null : keyring.get(id);
    if (master == null) {
      throw new CairnException(ErrorCode.INTERNAL, "the data key of file " + fileId + " is wrapped under master key "
          + (id < 1 ? "(unreadable id)" : id) + ", which this node's keyring does not hold (it holds "
          + keyring.ids() + "); give every node the same keyring");
    }
    String body = wrapped == null ? "" : wrapped.substring(wrapped.indexOf(':') + 1);
    byte[] in;
    try {
      in = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.INTERNAL, "wrapped data key of file " + fileId + " is not base64", e);
    }
    if (in.length != WRAPPED_LENGTH) {
      throw new CairnException(ErrorCode.INTERNAL, "wrapped data key of file " + fileId + " is " + in.length
          + " bytes, expected " + WRAPPED_LENGTH);
    }
    try {
      return cipher(master, Cipher.DECRYPT_MODE, in, fileId).doFinal(in, NONCE_LENGTH, in.length - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new CairnException(ErrorCode.INTERNAL, "data key does not match this cluster's master key (file "
          + fileId + ", master key " + master.fingerprint() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not unwrap the data key of file " + fileId + ": " + e, e);
    }
  }

  /**
   * A 32-byte secret for one purpose, HMAC-SHA256(oldest master key held, UTF-8 of {@code purpose}), so
   * that other parts of Cairn (e.g. default S3 credentials) get their own key without seeing the master
   * key. The same purpose always yields the same secret on every node holding the same keyring. Throws
   * INVALID_ARGUMENT for an empty purpose or the one reserved for {@link MasterKey#fingerprint()}.
   */
  public byte[] deriveKey(String purpose) {
    if (purpose == null || purpose.isEmpty()) {
      throw CairnException.invalid("a key purpose is required");
    }
    if (purpose.equals(MasterKey.FINGERPRINT_PURPOSE)) {
      // Part of this value is printed in logs; it must never double as a secret.
      throw CairnException.invalid("key purpose '" + purpose + "' is reserved");
    }
    return hmac(keyring.oldest().bytes(), purpose);
  }

  /**
   * {@link #deriveKey} under every master key held, by key id: internal request signing signs and
   * accepts under each, so nodes keep talking while a new keyring is rolled out node by node.
   */
  public java.util.Map<Integer, byte[]> deriveKeys(String purpose) {
    deriveKey(purpose); // same checks
    java.util.Map<Integer, byte[]> out = new java.util.TreeMap<>();
    for (MasterKey k : keyring.keys()) {
      out.put(k.id(), hmac(k.bytes(), purpose));
    }
    return out;
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "HMAC-SHA256 is unavailable: " + e, e);
    }
  }

  private static Cipher cipher(MasterKey master, int mode, byte[] nonceSource, String fileId)
      throws GeneralSecurityException {
    if (fileId == null || fileId.isEmpty()) {
      throw CairnException.invalid("file id is required");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(master.bytes(), "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonceSource, 0, NONCE_LENGTH));
    c.updateAAD(fileId.getBytes(StandardCharsets.UTF_8));
    return c;
  }

  private static void checkDataKey(byte[] dataKey) {
    if (dataKey == null || dataKey.length != DATA_KEY_LENGTH) {
      throw CairnException.invalid("a data key is " + DATA_KEY_LENGTH + " bytes, was "
          + (dataKey == null ? "null" : dataKey.length + " bytes"));
    }
  }
}
