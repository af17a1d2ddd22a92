package io.cairn.meta;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.util.MD5FileUtil;

/**
 * One snapshot: every RocksDB entry, in key order, in a single file.
 *
 * <pre>
 *   long magic "CAIRNSNP", int format version
 *   repeated: int keyLength (> 0), key bytes, int valueLength, value bytes
 *   int 0 (end of entries)
 *   long term, long index, long entryCount   -- the applied position the entries reflect
 *   long CRC32C of every byte before it
 * </pre>
 *
 * The position sits in a trailer because it is only known once the consistent RocksDB view is open;
 * the CRC lets a load detect a torn or damaged file on its own, and the {@code .md5} sidecar that Ratis
 * expects for sending the file to a lagging follower is computed while writing.
 */
final class SnapshotFile {
  static final long MAGIC = 0x434149524E534E50L; // "CAIRNSNP"
  static final int VERSION = 1;

  private SnapshotFile() {}

  /** What {@link #write} produced. */
  record Written(Path file, MetaDb.Applied applied, MD5Hash md5, long entries) {}

  /**
   * Dumps {@code db} into {@code dir}/snapshot.term_index (via a temporary file and an atomic rename)
   * and writes its MD5 sidecar.
   */
  static Written write(MetaDb db, Path dir) throws IOException {
    Path tmp = dir.resolve("snapshot-in-progress");
    MessageDigest md5 = MD5Hash.getDigester();
    CRC32C crc = new CRC32C();
    long[] count = {0};
    MetaDb.Applied applied;
    try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
            new DigestOutputStream(new BufferedOutputStream(fos, 1 << 16), md5), crc))) {
      out.writeLong(MAGIC);
      out.writeInt(VERSION);
      applied = db.dump((k, v) -> {
        try {
          out.writeInt(k.length);
          out.write(k);
          out.writeInt(v.length);
          out.write(v);
          count[0]++;
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      out.writeInt(0);
      out.writeLong(applied.term());
      out.writeLong(applied.index());
      out.writeLong(count[0]);
      out.writeLong(crc.getValue());
      out.flush();
      fos.getFD().sync();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Path file = dir.resolve("snapshot." + applied.term() + "_" + applied.index());
    // The sidecar goes first: Ratis ignores a snapshot whose .md5 is missing, so a crash between the two
    // steps must leave an orphan sidecar (cleaned up later), never a snapshot without one.
    MD5Hash digest = new MD5Hash(md5.digest());
    MD5FileUtil.saveMD5File(file.toFile(), digest);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Written(file, applied, digest, count[0]);
  }

  /**
   * Streams the entries of {@code file} into {@code db}, replacing its content. The trailer is checked
   * (position, count, CRC) before lastApplied is recorded, so a damaged file never counts as loaded.
   */
  static void load(Path file, MetaDb.Applied expected, MetaDb db) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CheckedInputStream checked = new CheckedInputStream(raw, new CRC32C());
      DataInputStream in = new DataInputStream(checked);
      if (in.readLong() != MAGIC) {
        throw new IOException(file + " is not a Cairn metadata snapshot");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + " has snapshot format " + version + "; this node reads " + VERSION);
      }
      db.replaceAll(expected, new Entries(file, expected, checked, in, raw));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Reads entries lazily; at the end verifies the trailer (throwing UncheckedIOException on mismatch). */
  private static final class Entries implements Iterator<Map.Entry<byte[], byte[]>> {
    private final Path file;
    private final MetaDb.Applied expected;
    private final CheckedInputStream checked;
    private final DataInputStream in;
    private final DataInputStream rawIn;
    private Map.Entry<byte[], byte[]> next;
    private long count;
    private boolean done;

    Entries(Path file, MetaDb.Applied expected, CheckedInputStream checked, DataInputStream in, InputStream raw) {
      this.file = file;
      this.expected = expected;
      this.checked = checked;
      this.in = in;
      this.rawIn = new DataInputStream(raw);
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        try {
          advance();
        } catch (EOFException e) {
          throw new UncheckedIOException(new IOException(file + " is truncated", e));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public Map.Entry<byte[], byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<byte[], byte[]> e = next;
      next = null;
      return e;
    }

    private void advance() throws IOException {
      int kl = in.readInt();
      if (kl < 0) {
        throw new IOException(file + " is damaged (negative key length)");
      }
      if (kl > 0) {
        byte[] k = new byte[kl];
        in.readFully(k);
        int vl = in.readInt();
        if (vl < 0) {
          throw new IOException(file + " is damaged (negative value length)");
        }
        byte[] v = new byte[vl];
        in.readFully(v);
        next = new AbstractMap.SimpleImmutableEntry<>(k, v);
        count++;
        return;
      }
      done = true;
      MetaDb.Applied applied = new MetaDb.Applied(in.readLong(), in.readLong());
      long stored = in.readLong();
      long crc = checked.getChecksum().getValue();
      if (rawIn.readLong() != crc) {
        throw new IOException(file + " fails its CRC32C check");
      }
      if (!applied.equals(expected) || stored != count) {
        throw new IOException(file + " holds " + stored + " entries at " + applied + " but "
            + count + " entries were read and " + expected + " was expected");
      }
    }
  }
}
