package io.cairn.server.cli;

import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cairn rm bucket/key}. Deleting is idempotent on the server, so a retry on another node is safe. */
@Command(name = "rm", description = "Delete bucket/key.", exitCodeOnInvalidInput = ExitCodes.USAGE)
final class RmCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET/KEY")
  String target;

  RmCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) {
    Target t = Target.parse(target);
    t.requireKey();
    client.send(t.toString(), base -> HttpRequest.newBuilder(base.resolve(Urls.file(t)))
        .timeout(CairnClient.CALL_TIMEOUT).DELETE().build(), r -> {
          r.body().close();
          return null;
        }, () -> true);
  }
}
