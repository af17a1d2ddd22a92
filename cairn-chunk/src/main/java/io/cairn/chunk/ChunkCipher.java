package io.cairn.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and authenticates chunks with AES-256-GCM under a file's data key (see {@link Envelope}).
 *
 * <p>Sealed layout: 12-byte random nonce, ciphertext (same length as the plaintext), 16-byte tag. The
 * associated data is the UTF-8 file id followed by the chunk index as a 4-byte big-endian int, so a
 * chunk moved to another file or another position fails authentication. A fresh random nonce per seal
 * keeps re-uploads and retries safe without any nonce bookkeeping; random 96-bit nonces are safe for
 * up to 2^32 seals under one key (NIST SP 800-38D), and a data key only ever covers one file.
 *
 * <p>Thread-safe: each call creates its own Cipher (cheap next to encrypting a chunk, and a ThreadLocal
 * would buy nothing on virtual threads, which are created per request).
 */
public final class ChunkCipher {
  public static final int OVERHEAD = Envelope.NONCE_LENGTH + Envelope.TAG_LENGTH;
  private static final AtomicBoolean WARMED = new AtomicBoolean();

  private final SecureRandom random = new SecureRandom();

  /** Bytes of a sealed chunk holding {@code plainLength} plaintext bytes. */
  public static int sealedLength(int plainLength) {
    if (plainLength < 0 || plainLength > Integer.MAX_VALUE - OVERHEAD) {
      throw CairnException.invalid("chunk length out of range: " + plainLength);
    }
    return plainLength + OVERHEAD;
  }

  /** Encrypts {@code plain[off..off+len)} as chunk {@code chunkIndex} of file {@code fileId}. */
  public byte[] seal(byte[] dataKey, String fileId, int chunkIndex, byte[] plain, int off, int len) {
    if (plain == null || off < 0 || len < 0 || off > plain.length - len) {
      throw CairnException.invalid("plaintext range [" + off + ", " + off + "+" + len + ") is outside the array");
    }
    byte[] out = new byte[sealedLength(len)];
    byte[] nonce = new byte[Envelope.NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, dataKey, nonce, fileId, chunkIndex);
      c.doFinal(plain, off, len, out, Envelope.NONCE_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not encrypt chunk " + chunkIndex + " of file "
          + fileId + ": " + e, e);
    }
    return out;
  }

  /**
   * Decrypts {@code sealed[0..len)} made by {@link #seal} for the same key, file and index. Throws
   * CHECKSUM_MISMATCH if it fails authentication (damaged, or belongs to another file, index or key).
   */
  public byte[] open(byte[] dataKey, String fileId, int chunkIndex, byte[] sealed, int len) {
    if (sealed == null || len < 0 || len > sealed.length) {
      throw CairnException.invalid("sealed length " + len + " is outside the array");
    }
    if (len < OVERHEAD) {
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkIndex + " of file " + fileId
          + " failed authentication (" + len + " bytes is shorter than nonce and tag)");
    }
    byte[] nonce = new byte[Envelope.NONCE_LENGTH];
    System.arraycopy(sealed, 0, nonce, 0, nonce.length);
    try {
      Cipher c = cipher(Cipher.DECRYPT_MODE, dataKey, nonce, fileId, chunkIndex);
      return c.doFinal(sealed, Envelope.NONCE_LENGTH, len - Envelope.NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new CairnException(ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkIndex + " of file " + fileId
          + " failed authentication", e);
    } catch (GeneralSecurityException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not decrypt chunk " + chunkIndex + " of file "
          + fileId + ": " + e, e);
    }
  }

  /**
   * Makes AES-GCM fast before the first real request. In a fresh JVM, GCM runs interpreted or in C1 at
   * well under 100 MB/s; only after C2 compiles the JDK's GCM code does it use the AES-NI/CLMUL
   * intrinsics (GB/s). Left to real traffic that takes about ten seconds, during which the first
   * uploads crawl and can time out. This runs seal/open on throwaway data until large inputs are fast,
   * typically about one second and never more than two (details in {@code CipherWarmUp}). Call once at
   * node start, before serving; runs once per JVM, later calls return at once. Thread-safe.
   */
  public static void warmUp() {
    if (!WARMED.compareAndSet(false, true)) {
      return;
    }
    ChunkCipher cipher = new ChunkCipher();
    byte[] key = new byte[Envelope.DATA_KEY_LENGTH];
    cipher.random.nextBytes(key);
    CipherWarmUp.run(cipher, key);
  }

  private static Cipher cipher(int mode, byte[] dataKey, byte[] nonce, String fileId, int chunkIndex)
      throws GeneralSecurityException {
    if (dataKey == null || dataKey.length != Envelope.DATA_KEY_LENGTH) {
      throw CairnException.invalid("a data key is " + Envelope.DATA_KEY_LENGTH + " bytes");
    }
    if (fileId == null || fileId.isEmpty()) {
      throw CairnException.invalid("file id is required");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(Envelope.TAG_LENGTH * 8, nonce));
    c.updateAAD(associatedData(fileId, chunkIndex));
    return c;
  }

  static byte[] associatedData(String fileId, int chunkIndex) {
    byte[] id = fileId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(id.length + Integer.BYTES).put(id).putInt(chunkIndex).array();
  }
}
