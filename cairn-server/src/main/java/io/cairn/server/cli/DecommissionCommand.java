package io.cairn.server.cli;

import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn decommission NODE_ID}: drains a node. It takes no new chunks at once; healing re-creates
 * its replicas on the other nodes, after which no file lists it. Repeating it is harmless.
 */
@Command(name = "decommission", description = "Drain a node: its replicas are re-created elsewhere.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class DecommissionCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NODE_ID")
  int nodeId;

  DecommissionCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) {
    var answer = client.send("node " + nodeId, base -> HttpRequest.newBuilder(
            base.resolve("/api/v1/nodes/" + nodeId + "/decommission"))
        .timeout(CairnClient.CALL_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
        CairnClient::readJson, () -> true);
    io.out().println("node " + nodeId + " is " + answer.path("state").asText()
        + "; its replicas are being re-created on other nodes (see: cairn cluster)");
  }
}
