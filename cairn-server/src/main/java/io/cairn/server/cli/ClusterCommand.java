package io.cairn.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ByteSize;
import io.cairn.common.Json;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn cluster [--json]}: leader, term and the node table. */
@Command(name = "cluster", description = "Show the cluster's leader, term and nodes.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class ClusterCommand extends ClientCommand {
  @Option(names = "--json", description = "Print the raw JSON.")
  boolean json;

  ClusterCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) throws JsonProcessingException {
    JsonNode c = client.json("cluster", "/api/v1/cluster");
    PrintStream out = io.out();
    if (json) {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
      return;
    }
    JsonNode leader = c.path("leader");
    out.printf("leader: %s   term: %d%n", leader.isNull() || leader.isMissingNode() ? "none" : leader.asText(),
        c.path("term").asLong());
    out.printf("%-4s %-15s %-30s %-10s %10s%n", "ID", "STATE", "HTTP", "ZONE", "CAPACITY");
    for (JsonNode n : c.path("nodes")) {
      String id = n.path("id").asText() + (n.path("id").equals(leader) ? "*" : "");
      String zone = n.path("zone").asText("");
      out.printf("%-4s %-15s %-30s %-10s %10s%n", id, n.path("state").asText(), n.path("httpAddress").asText(),
          zone.isEmpty() ? "-" : zone, ByteSize.human(n.path("capacityBytes").asLong()));
    }
  }
}
