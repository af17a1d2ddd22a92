package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.chunk.Keyring;
import io.cairn.chunk.MasterKey;
import io.cairn.common.CairnException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn key}: master key handling. {@code add}, {@code drop} and {@code show} edit or read a
 * keyring file on this machine (no server involved); {@code rotate} and {@code status} ask a running
 * cluster to re-wrap every file's data key under the current key, and how many files each key wraps.
 *
 * <p>The rotation procedure: {@code key add} on one copy of the keyring, copy it to every node and
 * restart them one by one, {@code key rotate}, check {@code key status} shows no file under the old
 * id, then {@code key drop} the old id, copy and restart again, and destroy every backup of the old key.
 */
@Command(name = "key", description = "Master key rotation: add, rotate, status, drop, show.",
    mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
    subcommandsRepeatable = false)
public final class KeyCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "missing subcommand: add, rotate, status, drop or show");
  }

  /** All subcommands, on the given streams. */
  public static picocli.CommandLine commandLine(ClientIo io) {
    picocli.CommandLine cl = new picocli.CommandLine(new KeyCommand());
    cl.addSubcommand(new Add(io));
    cl.addSubcommand(new Drop(io));
    cl.addSubcommand(new Show(io));
    cl.addSubcommand(new Rotate(io));
    cl.addSubcommand(new Status(io));
    return cl;
  }

  abstract static class LocalKeyCommand implements Callable<Integer> {
    @Option(names = "--key-file", required = true, paramLabel = "FILE",
        description = "The keyring (or bare key) file, e.g. <data-dir>/cluster.key.")
    Path keyFile;

    final ClientIo io;

    LocalKeyCommand(ClientIo io) {
      this.io = io;
    }

    abstract void run();

    @Override
    public Integer call() {
      try {
        run();
        return ExitCodes.OK;
      } catch (CairnException e) {
        io.err().println("cairn: " + e.getMessage());
        return ExitCodes.USAGE;
      } finally {
        io.out().flush();
        io.err().flush();
      }
    }

    void print(Keyring k) {
      for (MasterKey m : k.keys()) {
        io.out().println("key " + m.id() + "  fingerprint " + m.fingerprint()
            + (m.id() == k.current().id() ? "  (current: wraps new files)" : ""));
      }
    }
  }

  @Command(name = "add", description = "Add a new random master key to a keyring file; it becomes current.")
  static final class Add extends LocalKeyCommand {
    Add(ClientIo io) {
      super(io);
    }

    @Override
    void run() {
      Keyring k = Keyring.load(keyFile).withNewKey();
      k.save(keyFile);
      print(k);
      io.out().println("Copy " + keyFile + " to every node (mode 0600) and restart them one by one, then run: "
          + "cairn key rotate");
    }
  }

  @Command(name = "drop", description = "Remove an old master key from a keyring file (never the current one).")
  static final class Drop extends LocalKeyCommand {
    @Option(names = "--id", required = true, description = "The key id to remove.")
    int id;

    Drop(ClientIo io) {
      super(io);
    }

    @Override
    void run() {
      Keyring k = Keyring.load(keyFile).without(id);
      k.save(keyFile);
      print(k);
      io.out().println("Key " + id + " removed from " + keyFile + ". Copy this file to every node, restart them, "
          + "then destroy every other copy of the old key.");
    }
  }

  @Command(name = "show", description = "List the key ids and fingerprints of a keyring file (never key bytes).")
  static final class Show extends LocalKeyCommand {
    Show(ClientIo io) {
      super(io);
    }

    @Override
    void run() {
      print(Keyring.load(keyFile));
    }
  }

  @Command(name = "rotate", description = "Re-wrap every file's data key under the cluster's current master key.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class Rotate extends ClientCommand {
    Rotate(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      JsonNode r = client.send("key rotation", base -> HttpRequest.newBuilder(base.resolve("/api/v1/keys/rotate"))
          .timeout(java.time.Duration.ofHours(1)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          CairnClient::readJson, () -> true);
      io.out().printf("master key rotated: %,d file keys re-wrapped under key %d in %d ms (%,d files, %,d already "
          + "under it, %,d changed meanwhile)%n", r.path("rewrapped").asLong(), r.path("currentKeyId").asInt(),
          r.path("millis").asLong(), r.path("filesScanned").asLong(), r.path("alreadyCurrent").asLong(),
          r.path("changedMeanwhile").asLong());
      io.out().println("files per key id now: " + r.path("filesByKeyIdAfter"));
    }
  }

  @Command(name = "status", description = "Show the cluster's current key and how many files each key id wraps.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class Status extends ClientCommand {
    Status(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      JsonNode r = client.send("key status", base -> HttpRequest.newBuilder(base.resolve("/api/v1/keys"))
          .timeout(CairnClient.CALL_TIMEOUT).GET().build(), CairnClient::readJson, () -> true);
      io.out().println("current key: " + r.path("currentKeyId").asInt() + "; keys held by this node: "
          + r.path("keysHeld") + "; files per key id: " + r.path("filesByKeyId"));
    }
  }
}
