package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node authenticates requests on its public ports.
 *
 * <p><b>Protected mode.</b> Anonymous access ({@link AuthMode#OPTIONAL}) is only allowed on a node bound
 * to a loopback address, where only local processes can reach it. Bound to anything else (including
 * 0.0.0.0) the node refuses to start unless {@link AuthMode#REQUIRED}.
 *
 * @param mode whether anonymous requests are let in
 * @param credentialsFile where the first admin's password is read from or written to (mode 0600)
 */
public record AuthSettings(AuthMode mode, Path credentialsFile) {
  private static final Logger log = LoggerFactory.getLogger(AuthSettings.class);

  public AuthSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(credentialsFile, "credentialsFile");
  }

  public static AuthSettings defaults(Path dataDir) {
    return new AuthSettings(AuthMode.OPTIONAL, dataDir.resolve("admin-credentials"));
  }

  /** INVALID_ARGUMENT when anonymous access would be reachable from other machines. */
  public void checkBind(String bindHost) {
    if (mode == AuthMode.OPTIONAL && !isLoopback(bindHost)) {
      throw new CairnException(ErrorCode.INVALID_ARGUMENT, "refusing to start: bound to " + bindHost
          + ", which is not a loopback address, with anonymous access allowed; start with --auth=required "
          + "(or bind to 127.0.0.1 for a local dev cluster)");
    }
  }

  /** Logs the banner that says who can get in. */
  public void announce(int nodeId, String bindHost) {
    if (mode == AuthMode.OPTIONAL) {
      log.warn("node {}: PROTECTED MODE - authentication is optional: anonymous requests have full access to "
          + "every bucket. Allowed only because the node is bound to loopback ({}). Use --auth=required to "
          + "turn it off.", nodeId, bindHost);
    } else {
      log.info("node {}: authentication required on every public route except probes, metrics and login",
          nodeId);
    }
  }

  /** For admin-only routes: FORBIDDEN for users, UNAUTHORIZED without a login; dev-mode anonymous passes. */
  public static void requireAdmin() {
    Principal p = CurrentPrincipal.require();
    if (p == Authenticator.NOBODY) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "authentication required");
    }
    if (!p.unrestricted()) {
      throw new CairnException(ErrorCode.FORBIDDEN, "only an admin may do this");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
