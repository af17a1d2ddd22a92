package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn ls [bucket] [--prefix P] [-l]}: buckets, or the keys of one bucket. */
@Command(name = "ls", description = "List buckets, or the files of a bucket.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class LsCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "BUCKET")
  String bucket;

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
  String prefix;

  @Option(names = {"-l", "--long"}, description = "Show size and upload time too.")
  boolean longFormat;

  LsCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) {
    if (bucket == null) {
      if (prefix != null) {
        throw CliException.usage("--prefix needs a bucket");
      }
      for (JsonNode b : client.json("buckets", "/api/v1/buckets").path("buckets")) {
        io.out().println(b.asText());
      }
      return;
    }
    Target t = Target.parse(bucket);
    // "ls photos/2024/" reads as a prefix, like a directory listing.
    String p = t.key() != null ? t.key() + (prefix == null ? "" : prefix) : prefix;
    Listing.each(client, t.bucket(), p, null,
        f -> io.out().println(longFormat ? Listing.longLine(f) : f.path("key").asText()));
  }
}
