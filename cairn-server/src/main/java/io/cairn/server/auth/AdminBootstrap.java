package io.cairn.server.auth;

import io.cairn.common.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin account of a new cluster. Every node tries once it can reach the metadata; the
 * Raft op applies only while no account exists, so exactly one node wins.
 *
 * <p>The password comes from {@code CAIRN_ADMIN_PASSWORD} in the credentials file if that file already
 * holds one ({@code cairn up} writes it before starting the nodes, so it knows the password to print);
 * otherwise the winning node makes a random one, prints it once on its standard output and writes the
 * file with mode 0600. There is no built-in default password.
 */
public final class AdminBootstrap {
  public static final String ADMIN_USER = "admin";
  public static final String USER_KEY = "CAIRN_ADMIN_USER";
  public static final String PASSWORD_KEY = "CAIRN_ADMIN_PASSWORD";
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final Accounts accounts;
  private final Path credentialsFile;
  private volatile boolean done;

  public AdminBootstrap(Accounts accounts, Path credentialsFile) {
    this.accounts = accounts;
    this.credentialsFile = credentialsFile;
  }

  public boolean done() {
    return done;
  }

  /** One attempt; a metadata failure leaves it to the next call. */
  public void tryOnce() {
    if (done) {
      return;
    }
    Map<String, String> existing = readKeyValues(credentialsFile);
    String preset = existing.get(PASSWORD_KEY);
    String password = preset != null && !preset.isBlank() ? preset : Accounts.randomPassword();
    try {
      if (accounts.bootstrapAdmin(ADMIN_USER, password)) {
        log.info("admin account '{}' created for this new cluster", ADMIN_USER);
        if (preset == null) {
          Map<String, String> values = new LinkedHashMap<>(existing);
          values.put(USER_KEY, ADMIN_USER);
          values.put(PASSWORD_KEY, password);
          writeKeyValues(credentialsFile, values);
          // Printed once, on stdout only (not the log): the file above is the lasting copy.
          System.out.println("cairn: admin account created: user " + ADMIN_USER + ", password " + password
              + " (saved in " + credentialsFile + ", mode 0600; this is the only time it is printed)");
        }
      }
      done = true;
    } catch (CairnException e) {
      log.debug("admin bootstrap postponed: {}", e.getMessage());
    }
  }

  /** KEY=value lines of a file; empty when it does not exist. */
  public static Map<String, String> readKeyValues(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (file == null || !Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /** Writes KEY=value lines to a file only its owner can read or write (0600), replacing it. */
  public static void writeKeyValues(Path file, Map<String, String> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, s.toString());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
