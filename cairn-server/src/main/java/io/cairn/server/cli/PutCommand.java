package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.CairnException;
import io.cairn.common.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn put FILE bucket[/key]}: uploads a file (or stdin) by streaming it. */
@Command(name = "put", description = "Upload FILE (or - for stdin) to bucket/key; with just a bucket, or "
    + "bucket/prefix/, the key ends in FILE's name.", exitCodeOnInvalidInput = ExitCodes.USAGE)
final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "Local file, or - for standard input.")
  String file;

  @Parameters(index = "1", paramLabel = "BUCKET[/KEY]")
  String target;

  @Option(names = {"-n", "--no-clobber"}, description = "Fail with exit code 3 if the file exists.")
  boolean noClobber;

  @Option(names = "--content-type", paramLabel = "TYPE", description = "Media type (default: from the name).")
  String contentType;

  @Option(names = "--meta", paramLabel = "NAME=VALUE", description = "User metadata; repeatable.")
  Map<String, String> meta = new LinkedHashMap<>();

  PutCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) throws IOException {
    boolean stdin = file.equals("-");
    Target t = Target.parse(target);
    String key = key(t, stdin);
    Target dest = new Target(t.bucket(), key);
    String type = contentType != null ? contentType : URLConnection.guessContentTypeFromName(key);
    Path path = stdin ? null : Path.of(file);
    long size = -1;
    if (!stdin) {
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw CliException.localIo("cannot read " + file + ": not a readable file");
      }
      size = Files.size(path);
    }
    Progress progress = progress(dest.toString(), size);
    ProgressInputStream[] current = new ProgressInputStream[1];
    BodyPublisher body = BodyPublishers.ofInputStream(() -> {
      progress.reset();
      current[0] = new ProgressInputStream(stdin ? io.in() : open(path), progress);
      return current[0];
    });
    BodyPublisher sized = stdin ? body : BodyPublishers.fromPublisher(body, size);
    // A file restarts from its first byte on each attempt; stdin only until a byte was taken from it.
    BooleanSupplier replayable = () -> !stdin || current[0] == null || !current[0].touched();
    JsonNode stored = client.send(dest.toString(), base -> request(base, dest, type, sized),
        CairnClient::readJson, replayable);
    progress.finish();
    io.out().printf("%s/%s  %d bytes  sha256 %s%n", stored.path("bucket").asText(), stored.path("key").asText(),
        stored.path("size").asLong(), stored.path("sha256").asText());
  }

  private String key(Target t, boolean stdin) {
    String name = stdin ? null : Path.of(file).getFileName().toString();
    String key;
    if (t.key() != null && !t.key().endsWith("/")) {
      key = t.key();
    } else if (name == null) {
      throw CliException.usage("uploading stdin needs a key: cairn put - bucket/key");
    } else {
      key = t.key() == null ? name : t.key() + name;
    }
    try {
      return Names.checkKey(key);
    } catch (CairnException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private HttpRequest request(URI base, Target dest, String type, BodyPublisher body) {
    // 100-continue: a refused upload (exists, bad name, no leader) is answered before any byte is sent,
    // instead of the server cutting the connection under a large body.
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Urls.file(dest))).PUT(body)
        .expectContinue(true).header("Accept", "application/json");
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (noClobber) {
      b.header("If-None-Match", "*");
    }
    meta.forEach((k, v) -> b.header("x-cairn-meta-" + k, v));
    return b.build();
  }

  private static InputStream open(Path path) {
    try {
      return Files.newInputStream(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
