package io.cairn.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn find bucket TEXT}: keys containing TEXT, case-insensitively. */
@Command(name = "find", description = "Find files whose key contains TEXT (case-insensitive).",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class FindCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET")
  String bucket;

  @Parameters(index = "1", paramLabel = "TEXT")
  String text;

  @Option(names = {"-l", "--long"}, description = "Show size and upload time too.")
  boolean longFormat;

  FindCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) {
    Target t = Target.parse(bucket);
    if (t.key() != null) {
      throw CliException.usage("find takes a bucket, not bucket/key: " + bucket);
    }
    Listing.each(client, t.bucket(), null, text,
        f -> io.out().println(longFormat ? Listing.longLine(f) : f.path("key").asText()));
  }
}
