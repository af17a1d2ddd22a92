package io.cairn.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The master keys a node holds: the <em>current</em> key (the highest id), which wraps every new data
 * key, and any older keys still needed to read files not yet re-wrapped. Key rotation is: add a key
 * ({@link #withNewKey}), give the new keyring to every node, re-wrap every file ({@code cairn key
 * rotate}), then drop the old key ({@link #without}) and destroy every copy of it.
 *
 * <p>Two file formats are read. A file of exactly 32 bytes is a bare key (key 1, the format Cairn has
 * always written). Anything else must be a text keyring:
 *
 * <pre>
 * cairn-keyring v1
 * key 1 &lt;base64 of 32 bytes&gt;
 * key 2 &lt;base64 of 32 bytes&gt;
 * </pre>
 *
 * Lines starting with {@code #} are comments. Either file must be accessible to its owner only (see
 * {@link MasterKey#refuseIfAccessibleToOthers}); the same keys may instead come from the environment
 * variable {@value #ENV} ({@link #parse}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Keyring {
  /** Environment variable that, when set, supplies the keys instead of the key file. */
  public static final String ENV = "CAIRN_MASTER_KEY";
  static final String HEADER = "cairn-keyring v1";

  private final TreeMap<Integer, MasterKey> keys;

  private Keyring(Map<Integer, MasterKey> keys) {
    if (keys.isEmpty()) {
      throw CairnException.invalid("a keyring needs at least one master key");
    }
    this.keys = new TreeMap<>(keys);
  }

  /** A keyring of the given keys; the one with the highest id is current. Ids must be distinct. */
  public static Keyring of(MasterKey... keys) {
    TreeMap<Integer, MasterKey> m = new TreeMap<>();
    for (MasterKey k : keys) {
      if (m.put(k.id(), k) != null) {
        throw CairnException.invalid("two master keys with id " + k.id());
      }
    }
    return new Keyring(m);
  }

  /** The key that wraps new data keys: the one with the highest id. */
  public MasterKey current() {
    return keys.lastEntry().getValue();
  }

  /**
   * The oldest key held. Secrets derived from the master key (internal request signing, default S3
   * credentials) come from it, so adding a key changes none of them; they change when it is dropped.
   */
  public MasterKey oldest() {
    return keys.firstEntry().getValue();
  }

  /** The key with this id, or null if this keyring does not hold it. */
  public MasterKey get(int id) {
    return keys.get(id);
  }

  /** Ids held, ascending. */
  public List<Integer> ids() {
    return List.copyOf(keys.keySet());
  }

  /** All keys, ascending by id. */
  public List<MasterKey> keys() {
    return List.copyOf(keys.values());
  }

  /** This keyring plus a fresh random key that becomes current (id = highest + 1). */
  public Keyring withNewKey() {
    int id = current().id() + 1;
    TreeMap<Integer, MasterKey> m = new TreeMap<>(keys);
    m.put(id, MasterKey.random(id));
    return new Keyring(m);
  }

  /** This keyring without key {@code id}. Refuses (INVALID_ARGUMENT) to drop the current key. */
  public Keyring without(int id) {
    if (!keys.containsKey(id)) {
      throw CairnException.invalid("the keyring holds no key " + id + " (it holds " + ids() + ")");
    }
    if (id == current().id()) {
      throw CairnException.invalid("key " + id + " is the current key; add a new key and re-wrap before dropping it");
    }
    TreeMap<Integer, MasterKey> m = new TreeMap<>(keys);
    m.remove(id);
    return new Keyring(m);
  }

  /**
   * Keys from the value of {@value #ENV}: either the base64 of one 32-byte key (key 1), or
   * {@code id:base64} entries separated by commas. Throws INVALID_ARGUMENT naming what is wrong (never
   * echoing key material).
   */
  public static Keyring parse(String value) {
    if (value == null || value.isBlank()) {
      throw CairnException.invalid(ENV + " is empty");
    }
    TreeMap<Integer, MasterKey> m = new TreeMap<>();
    for (String entry : value.trim().split(",")) {
      String e = entry.trim();
      int colon = e.indexOf(':');
      int id = 1;
      if (colon >= 0) {
        id = parseId(e.substring(0, colon), "entry " + (m.size() + 1) + " of " + ENV);
        e = e.substring(colon + 1);
      }
      if (m.put(id, MasterKey.of(id, decode(e, "key " + id + " in " + ENV))) != null) {
        throw CairnException.invalid(ENV + " holds key " + id + " twice");
      }
    }
    return new Keyring(m);
  }

  /** Keys from {@code env}'s {@value #ENV} when set, otherwise {@link #loadOrCreate} of {@code file}. */
  public static Keyring fromEnvOrFile(Map<String, String> env, Path file) {
    String v = env.get(ENV);
    if (v != null && !v.isBlank()) {
      Keyring k = parse(v);
      MasterKey.LOG.info("Master keys {} taken from the environment variable {}; key file {} not used", k.ids(), ENV,
          file);
      return k;
    }
    return loadOrCreate(file);
  }

  /** Reads {@code file} (either format), creating a new one-key keyring file (bare key 1) if absent. */
  public static Keyring loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      return of(MasterKey.loadOrCreate(file));
    }
    return load(file);
  }

  /** Reads {@code file}; INTERNAL if it is missing, unreadable, malformed or accessible to others. */
  public static Keyring load(Path file) {
    Path abs = file.toAbsolutePath();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(abs);
    } catch (NoSuchFileException e) {
      throw new CairnException(ErrorCode.INTERNAL, "master key file " + abs + " does not exist");
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot read master key file " + abs + ": " + e, e);
    }
    Keyring k;
    if (bytes.length == MasterKey.LENGTH) {
      k = of(MasterKey.of(1, bytes));
    } else {
      try {
        k = parseFile(new String(bytes, StandardCharsets.UTF_8));
      } catch (CairnException e) {
        throw new CairnException(ErrorCode.INTERNAL, "master key file " + abs + " holds " + bytes.length
            + " bytes that are neither exactly " + MasterKey.LENGTH + " raw key bytes nor a '" + HEADER
            + "' text keyring (" + e.getMessage() + "); restore it from a backup (a new key cannot read files "
            + "written under the old one)", e);
      }
    }
    try {
      MasterKey.refuseIfAccessibleToOthers(abs);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot check the permissions of " + abs + ": " + e, e);
    }
    return k;
  }

  /**
   * Writes this keyring to {@code file} in the text format, owner-only, atomically and durably; an
   * existing file is replaced. A keyring of key 1 alone is written as a bare key, so older Cairn versions
   * still read it.
   */
  public void save(Path file) {
    Path abs = file.toAbsolutePath();
    byte[] out = keys.size() == 1 && current().id() == 1 ? current().bytes().clone()
        : format().getBytes(StandardCharsets.UTF_8);
    try {
      Path dir = abs.getParent();
      Files.createDirectories(dir);
      Path tmp = DurableFiles.writeTemp(dir, "." + abs.getFileName() + ".", ch -> {
        ByteBuffer b = ByteBuffer.wrap(out);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }, MasterKey.ownerOnly(dir));
      DurableFiles.publish(tmp, abs);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "could not write master key file " + abs + ": " + e, e);
    } finally {
      java.util.Arrays.fill(out, (byte) 0);
    }
  }

  String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Cairn master keyring: identical on every node, owner-only (chmod 600), backed up.\n");
    sb.append("# The highest id wraps new data keys; older keys only read files not yet re-wrapped.\n");
    sb.append(HEADER).append('\n');
    for (MasterKey k : keys.values()) {
      sb.append("key ").append(k.id()).append(' ').append(Base64.getEncoder().encodeToString(k.bytes())).append('\n');
    }
    return sb.toString();
  }

  static Keyring parseFile(String text) {
    TreeMap<Integer, MasterKey> m = new TreeMap<>();
    boolean header = false;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!header) {
        if (!line.equals(HEADER)) {
          throw CairnException.invalid("line " + lineNo + " should be '" + HEADER + "'");
        }
        header = true;
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 3 || !parts[0].equals("key")) {
        throw CairnException.invalid("line " + lineNo + " should be 'key <id> <base64>'");
      }
      int id = parseId(parts[1], "line " + lineNo);
      if (m.put(id, MasterKey.of(id, decode(parts[2], "key " + id))) != null) {
        throw CairnException.invalid("key " + id + " appears twice");
      }
    }
    if (!header) {
      throw CairnException.invalid("no '" + HEADER + "' line");
    }
    return new Keyring(m);
  }

  private static int parseId(String s, String where) {
    try {
      int id = Integer.parseInt(s.trim());
      MasterKey.checkId(id);
      return id;
    } catch (NumberFormatException e) {
      throw CairnException.invalid(where + ": key id must be a number 1.." + MasterKey.MAX_ID);
    }
  }

  private static byte[] decode(String b64, String what) {
    try {
      byte[] k = Base64.getDecoder().decode(b64.trim());
      if (k.length != MasterKey.LENGTH) {
        throw CairnException.invalid(what + " is " + k.length + " bytes, expected " + MasterKey.LENGTH);
      }
      return k;
    } catch (IllegalArgumentException e) {
      throw CairnException.invalid(what + " is not valid base64");
    }
  }

  @Override
  public String toString() {
    return keys.values().stream().map(k -> k.id() + "=" + k.fingerprint())
        .collect(Collectors.joining(", ", "Keyring[current=" + current().id() + "; ", "]"));
  }
}
