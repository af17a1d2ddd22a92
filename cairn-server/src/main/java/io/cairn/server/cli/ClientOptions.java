package io.cairn.server.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every client command shares. */
final class ClientOptions {
  @Option(names = "--endpoint", split = ",", paramLabel = "URL",
      defaultValue = "${env:CAIRN_ENDPOINT:-http://127.0.0.1:8080}",
      description = "Node(s) to talk to; repeat or separate with commas. With one, the others are "
          + "discovered when it fails. Default: $CAIRN_ENDPOINT or ${DEFAULT-VALUE}.")
  List<String> endpoints;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--progress", description = "Show a progress bar even when stderr is not a terminal.")
  boolean progress;

  @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
      description = "Rounds over all endpoints to add while the cluster answers 503 (default ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CAIRN_TOKEN:-}",
      description = "Bearer token (default: $CAIRN_TOKEN).")
  String token;

  @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:CAIRN_USER:-}",
      description = "User name for Basic authentication (default: $CAIRN_USER).")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:CAIRN_PASSWORD:-}",
      description = "Password for --user (default: $CAIRN_PASSWORD; prefer the variable: flags show in ps).")
  String password;

  @Option(names = "--cacert", paramLabel = "FILE", defaultValue = "${env:CAIRN_CACERT}",
      description = "Trust HTTPS endpoints whose certificate is (or is signed by) this PEM certificate, e.g. "
          + "one from `cairn cert`. Default: $CAIRN_CACERT, else the JDK's trusted CAs.")
  java.nio.file.Path cacert;

  CairnClient client() {
    if (retries < 0) {
      throw CliException.usage("--retries must be >= 0");
    }
    javax.net.ssl.SSLContext trust = null;
    if (cacert != null) {
      try {
        trust = io.cairn.server.tls.Trust.trustingPem(cacert);
      } catch (RuntimeException e) {
        throw CliException.usage("--cacert " + cacert + ": " + e.getMessage());
      }
    }
    return new CairnClient(CairnClient.parseEndpoints(endpoints), retries, authorization(), trust);
  }

  /** The Authorization header value, or null for anonymous requests (dev clusters on loopback). */
  String authorization() {
    return authorization(System.getenv());
  }

  /**
   * As {@link #authorization()}, with {@code env} standing in for the environment: when no token or user
   * is given, the admin's lines of an {@code admin-credentials} file loaded into the environment
   * ({@code CAIRN_ADMIN_USER}, {@code CAIRN_ADMIN_PASSWORD}) are used, so {@code set -a; . admin-credentials}
   * is enough to run admin commands.
   */
  String authorization(java.util.Map<String, String> env) {
    if (token != null && !token.isBlank()) {
      return "Bearer " + token.strip();
    }
    if ((user == null || user.isBlank()) && env.get("CAIRN_ADMIN_USER") != null) {
      user = env.get("CAIRN_ADMIN_USER");
      password = env.getOrDefault("CAIRN_ADMIN_PASSWORD", "");
    }
    if (user != null && !user.isBlank()) {
      if (password == null || password.isEmpty()) {
        throw CliException.usage("--user needs a password (--password or $CAIRN_PASSWORD)");
      }
      return "Basic " + Base64.getEncoder().encodeToString(
          (user.strip() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }
}
