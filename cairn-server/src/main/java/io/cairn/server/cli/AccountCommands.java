package io.cairn.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn user add|rm|ls|passwd} and {@code cairn token create|revoke|ls}, over {@code /api/v1/users}
 * and {@code /api/v1/tokens}. They need an admin login (or, for passwd/token, the user's own), taken from
 * --token / --user and $CAIRN_TOKEN / $CAIRN_USER + $CAIRN_PASSWORD. Passwords are read from
 * $CAIRN_NEW_PASSWORD or --password-stdin so they never show in the process list.
 */
final class AccountCommands {
  private AccountCommands() {}

  static CommandLine user(ClientIo io) {
    return new CommandLine(new UserGroup()).addSubcommand(new UserAdd(io)).addSubcommand(new UserRm(io))
        .addSubcommand(new UserLs(io)).addSubcommand(new UserPasswd(io));
  }

  static CommandLine token(ClientIo io) {
    return new CommandLine(new TokenGroup()).addSubcommand(new TokenCreate(io))
        .addSubcommand(new TokenRevoke(io)).addSubcommand(new TokenLs(io));
  }

  @Command(name = "user", description = "Manage user accounts (admin).", mixinStandardHelpOptions = true,
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class UserGroup {}

  @Command(name = "token", description = "Create and revoke API tokens and S3 access keys.",
      mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class TokenGroup {}

  /** A JSON request to the API; null body for none. */
  static JsonNode request(CairnClient client, String subject, String method, String path, Object body) {
    Function<URI, HttpRequest> req = base -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(CairnClient.CALL_TIMEOUT)
          .header("Accept", "application/json");
      if (body == null) {
        return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
      }
      try {
        return b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    return client.send(subject, req, r -> {
      try (var in = r.body()) {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
      }
    }, () -> true);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The new password: --password-stdin, else $CAIRN_NEW_PASSWORD. */
  static String newPassword(ClientIo io, boolean fromStdin) throws IOException {
    String p;
    if (fromStdin) {
      p = new String(io.in().readAllBytes(), StandardCharsets.UTF_8).strip();
    } else {
      p = System.getenv("CAIRN_NEW_PASSWORD");
    }
    if (p == null || p.isEmpty()) {
      throw CliException.usage("give the new password on stdin with --password-stdin or in $CAIRN_NEW_PASSWORD");
    }
    return p;
  }

  @Command(name = "add", description = "Create a user.", exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class UserAdd extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--admin", description = "Make the user an admin.")
    boolean admin;

    @Option(names = "--password-stdin", description = "Read the password from stdin.")
    boolean stdin;

    UserAdd(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) throws IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("password", newPassword(io, stdin));
      body.put("admin", admin);
      request(client, "user " + name, "POST", "/api/v1/users", body);
      io.out().println("user " + name + " created" + (admin ? " (admin)" : ""));
    }
  }

  @Command(name = "rm", description = "Remove a user and revoke their tokens and keys.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class UserRm extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    UserRm(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      request(client, "user " + name, "DELETE", "/api/v1/users/" + enc(name), null);
      io.out().println("user " + name + " removed");
    }
  }

  @Command(name = "ls", description = "List users.", exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class UserLs extends ClientCommand {
    UserLs(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      for (JsonNode u : request(client, "users", "GET", "/api/v1/users", null).path("users")) {
        io.out().println(u.path("name").asText() + (u.path("admin").asBoolean() ? "\tadmin" : "\tuser"));
      }
    }
  }

  @Command(name = "passwd", description = "Change a user's password.", exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class UserPasswd extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--password-stdin", description = "Read the new password from stdin.")
    boolean stdin;

    UserPasswd(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) throws IOException {
      request(client, "user " + name, "PUT", "/api/v1/users/" + enc(name) + "/password",
          Map.of("password", newPassword(io, stdin)));
      io.out().println("password of " + name + " changed");
    }
  }

  @Command(name = "create", description = "Create a bearer token (or with --s3 an S3 key pair); shown once.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class TokenCreate extends ClientCommand {
    @Option(names = "--for", paramLabel = "USER", description = "Owner (default: the logged-in user).")
    String owner;

    @Option(names = "--label", description = "A note to tell tokens apart.")
    String label;

    @Option(names = "--s3", description = "Create an S3 access key pair instead of a bearer token.")
    boolean s3;

    TokenCreate(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      Map<String, Object> body = new LinkedHashMap<>();
      if (owner != null) {
        body.put("user", owner);
      }
      if (label != null) {
        body.put("label", label);
      }
      body.put("type", s3 ? "s3" : "bearer");
      JsonNode r = request(client, "token", "POST", "/api/v1/tokens", body);
      if (s3) {
        io.out().println("AWS_ACCESS_KEY_ID=" + r.path("accessKeyId").asText());
        io.out().println("AWS_SECRET_ACCESS_KEY=" + r.path("secretAccessKey").asText());
      } else {
        io.out().println("CAIRN_TOKEN=" + r.path("token").asText());
      }
      io.err().println("cairn: id " + r.path("id").asText() + " for user " + r.path("user").asText()
          + "; the secret is shown only now (revoke with: cairn token revoke " + r.path("id").asText() + ")");
    }
  }

  @Command(name = "revoke", description = "Revoke a token or S3 access key by id.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class TokenRevoke extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    TokenRevoke(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      request(client, "token " + id, "DELETE", "/api/v1/tokens/" + enc(id), null);
      io.out().println("revoked " + id);
    }
  }

  @Command(name = "ls", description = "List tokens and S3 access keys (ids only).",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class TokenLs extends ClientCommand {
    @Option(names = "--for", paramLabel = "USER", description = "Only this user's.")
    String owner;

    TokenLs(ClientIo io) {
      super(io);
    }

    @Override
    void run(CairnClient client) {
      JsonNode r = request(client, "tokens", "GET", "/api/v1/tokens" + (owner == null ? "" : "?user=" + enc(owner)),
          null);
      for (JsonNode t : r.path("tokens")) {
        io.out().println(t.path("id").asText() + "\tbearer\t" + t.path("user").asText() + "\t" + t.path("label").asText());
      }
      for (JsonNode k : r.path("accessKeys")) {
        io.out().println(k.path("id").asText() + "\ts3\t" + k.path("user").asText());
      }
    }
  }
}
