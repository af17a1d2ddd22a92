package io.cairn.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.ByteSize;
import io.cairn.common.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn stat bucket/key [--json]}: the file's record, chunks and replicas. */
@Command(name = "stat", description = "Show a file's metadata: size, checksums, chunks and their replicas.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class StatCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET/KEY")
  String target;

  @Option(names = "--json", description = "Print the raw JSON record.")
  boolean json;

  StatCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) throws JsonProcessingException {
    Target t = Target.parse(target);
    JsonNode m = client.json(t.toString(), "/api/v1/meta/" + t.bucket() + "/" + Urls.path(t.requireKey()));
    if (json) {
      io.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m));
      return;
    }
    PrintStream out = io.out();
    long size = m.path("size").asLong();
    out.println(m.path("bucket").asText() + "/" + m.path("key").asText());
    row(out, "size", size + " bytes (" + ByteSize.human(size) + ")");
    row(out, "content type", m.path("contentType").asText());
    row(out, "created", m.path("created").asText());
    row(out, "sha256", m.path("sha256").asText());
    row(out, "md5", m.path("md5").asText());
    row(out, "file id", m.path("fileId").asText());
    row(out, "chunk size", ByteSize.human(m.path("chunkSize").asLong()));
    List<String> meta = new ArrayList<>();
    m.path("userMeta").fields().forEachRemaining(e -> meta.add(e.getKey() + "=" + e.getValue().asText()));
    row(out, "user meta", meta.isEmpty() ? "-" : String.join(", ", meta));
    JsonNode chunks = m.path("chunks");
    row(out, "chunks", String.valueOf(chunks.size()));
    if (!chunks.isEmpty()) {
      out.printf("    %5s  %14s  %10s  %10s  %10s  %-10s  %s%n", "INDEX", "OFFSET", "SIZE", "STORED", "CRC32C",
          "REPLICAS", "CHUNK ID");
      for (JsonNode c : chunks) {
        List<String> replicas = new ArrayList<>();
        c.path("replicas").forEach(r -> replicas.add(r.asText()));
        out.printf("    %5d  %14d  %10d  %10d  %10s  %-10s  %s%n", c.path("index").asInt(), c.path("offset").asLong(),
            c.path("size").asLong(), c.path("storedSize").asLong(), Long.toHexString(c.path("crc32c").asLong()),
            String.join(",", replicas), c.path("chunkId").asText());
      }
    }
  }

  private static void row(PrintStream out, String label, String value) {
    out.printf("  %-13s %s%n", label, value);
  }
}
