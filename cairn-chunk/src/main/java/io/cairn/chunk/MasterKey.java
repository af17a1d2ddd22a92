package io.cairn.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's 256-bit master key. It never encrypts data itself: {@link Envelope} uses it to wrap
 * the per-file data keys and to derive purpose-specific secrets.
 *
 * <p>Every key carries a small positive id, recorded next to each wrapped data key, so that a
 * {@link Keyring} holding an old and a new key can read files wrapped under either while the cluster
 * re-wraps them (see {@code cairn key rotate}). A bare 32-byte key file is key 1.
 *
 * <p>Every node of a cluster must hold the same keys; losing them makes every stored file unreadable.
 *
 * <p>Immutable and thread-safe. {@link #toString} shows the id and a fingerprint, never key bytes.
 */
public final class MasterKey {
  public static final int LENGTH = 32;
  static final String FINGERPRINT_PURPOSE = "cairn.master-key.fingerprint";
  static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** Largest key id; ids are short so they can prefix every wrapped key cheaply. */
  public static final int MAX_ID = 9999;

  private final int id;
  private final byte[] key;

  private MasterKey(int id, byte[] key) {
    this.id = id;
    this.key = key;
  }

  /** Key 1 from 32 raw bytes (copied). Throws INVALID_ARGUMENT on any other length. */
  public static MasterKey of(byte[] key) {
    return of(1, key);
  }

  /** Key {@code id} (1..{@value #MAX_ID}) from 32 raw bytes (copied). Throws INVALID_ARGUMENT otherwise. */
  public static MasterKey of(int id, byte[] key) {
    if (key == null || key.length != LENGTH) {
      throw CairnException.invalid("a master key is " + LENGTH + " bytes, was "
          + (key == null ? "null" : key.length + " bytes"));
    }
    checkId(id);
    return new MasterKey(id, key.clone());
  }

  /** A fresh random key 1, not stored anywhere (for tests and single-process tools). */
  public static MasterKey random() {
    return random(1);
  }

  /** A fresh random key with the given id. */
  public static MasterKey random(int id) {
    checkId(id);
    byte[] k = new byte[LENGTH];
    new SecureRandom().nextBytes(k);
    return new MasterKey(id, k);
  }

  static void checkId(int id) {
    if (id < 1 || id > MAX_ID) {
      throw CairnException.invalid("a master key id is 1.." + MAX_ID + ", was " + id);
    }
  }

  /** This key's id, stored with every data key wrapped under it. */
  public int id() {
    return id;
  }

  /**
   * Reads the key in {@code file}, or creates one there if the file does not exist. Creation is atomic
   * and durable (temp file with owner-only permissions, fsync, link into place, fsync the directory) and
   * never replaces a key file another process created meanwhile. Throws INTERNAL if the file cannot be
   * read or written, or does not hold exactly 32 bytes.
   */
  public static MasterKey loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return Keyring.load(file).current();
    }
    Path abs = file.toAbsolutePath();
    try {
      MasterKey existing = load(abs);
      if (existing != null) {
        return existing;
      }
      MasterKey created = random();
      Path dir = abs.getParent();
      Files.createDirectories(dir);
      Path tmp = DurableFiles.writeTemp(dir, "." + abs.getFileName() + ".", ch -> {
        ByteBuffer b = ByteBuffer.wrap(created.key);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }, ownerOnly(dir));
      if (DurableFiles.publishIfAbsent(tmp, abs)) {
        LOG.info("Created a new master key {} in {}; back this file up, without it no file is readable",
            created, abs);
        return created;
      }
      MasterKey theirs = load(abs); // another process won the race; use its key
      if (theirs == null) {
        throw new IOException("the key file appeared and vanished again while being created");
      }
      return theirs;
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not load or create the master key " + abs + ": " + e, e);
    }
  }

  /** A short, non-secret identifier of this key, to check that every node holds the same one. */
  public String fingerprint() {
    byte[] h = Envelope.hmac(key, FINGERPRINT_PURPOSE);
    return HexFormat.of().formatHex(h, 0, 8);
  }

  @Override
  public String toString() {
    return "MasterKey[id=" + id + ", fingerprint=" + fingerprint() + "]";
  }

  /** The raw key, for {@link Envelope} only. Not copied: callers in this package must not modify it. */
  byte[] bytes() {
    return key;
  }

  private static MasterKey load(Path file) throws IOException {
    byte[] k;
    try {
      k = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (k.length != LENGTH) {
      throw new CairnException(ErrorCode.INTERNAL, "master key file " + file + " holds " + k.length
          + " bytes, expected exactly " + LENGTH + " raw key bytes; restore it from a backup (a new key"
          + " cannot read files written under the old one)");
    }
    refuseIfAccessibleToOthers(file);
    return new MasterKey(1, k);
  }

  /**
   * Refuses (INTERNAL) a key file that group or other users may read or write, the way ssh refuses a
   * private key: a key others can read is no longer secret, and starting anyway would hide the problem.
   * Owner-only modes such as 0600 and 0400 pass. Non-POSIX file systems are not checked.
   */
  static void refuseIfAccessibleToOthers(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    }
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new CairnException(ErrorCode.INTERNAL, "master key file " + file + " is accessible to other users ("
          + PosixFilePermissions.toString(perms) + "); refusing to use it. Restrict it with: chmod 600 " + file);
    }
  }

  static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }
}
