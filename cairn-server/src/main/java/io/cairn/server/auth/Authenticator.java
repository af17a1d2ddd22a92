package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.UserAccount;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates every request of the public HTTP port before any handler runs, and sets its {@link
 * Principal}.
 *
 * <p><b>Order.</b> Presented credentials are checked first, in every mode and on every route: an
 * {@code Authorization: Basic} or {@code Bearer} header, else the session cookie. Wrong ones are a 401,
 * never anonymous access. Without credentials: {@link AuthMode#OPTIONAL} lets the request in as
 * {@link Principal#ANONYMOUS}; {@link AuthMode#REQUIRED} answers 401 (browsers asking for a page are sent
 * to {@code /login}) except on the public routes (probes, metrics, cluster state, login, assets), which
 * then run as {@link #NOBODY}, a principal that can reach no bucket.
 *
 * <p><b>CSRF.</b> A state-changing request (not GET/HEAD/OPTIONS) authenticated by the session cookie
 * must carry the session's CSRF token in the {@code X-CSRF-Token} header or a {@code csrf} form field;
 * Basic and Bearer requests need none (a browser never attaches those by itself).
 */
public final class Authenticator {
  /** Runs public routes in REQUIRED mode: authenticated as nobody, owner of nothing. */
  public static final Principal NOBODY = new Principal("-nobody", false, false, "none");
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final List<String> PUBLIC_EXACT = List.of("/healthz", "/readyz", "/metrics", "/status",
      "/login", "/logout", "/favicon.ico", "/api/v1/cluster", "/api/v1/cluster/health", "/dashboard",
      "/api/system-metrics");
  private static final String ATTR_SESSION = "cairn.session";
  private static final String ATTR_CSRF = "cairn.csrf";

  private final AuthMode mode;
  private final Accounts accounts;
  private final Sessions sessions;

  public Authenticator(AuthMode mode, Accounts accounts, byte[] sessionKey) {
    this.mode = mode;
    this.accounts = accounts;
    this.sessions = new Sessions(sessionKey, Clock.systemUTC());
  }

  public AuthMode mode() {
    return mode;
  }

  /** Installs the before/after handlers and the login routes. Call before the server starts. */
  public void install(Javalin app) {
    app.before(this::authenticate);
    app.after(ctx -> CurrentPrincipal.clear());
    new LoginRoutes(this, accounts, sessions).register(app);
  }

  void authenticate(Context ctx) {
    CurrentPrincipal.clear();
    Principal p = presented(ctx);
    if (p == null) {
      if (mode == AuthMode.OPTIONAL) {
        p = Principal.ANONYMOUS;
      } else if (isPublic(ctx.path())) {
        p = NOBODY;
      } else if (ctx.method().name().equals("GET") && (ctx.path().equals("/") || wantsHtml(ctx))) {
        ctx.redirect("/login");
        ctx.skipRemainingHandlers();
        return;
      } else {
        throw new CairnException(ErrorCode.UNAUTHORIZED,
            "authentication required: send Authorization: Basic or Bearer, or log in at /login");
      }
    }
    if ("session".equals(p.via()) && !isSafe(ctx)) {
      checkCsrf(ctx);
    }
    CurrentPrincipal.set(p);
  }

  /** The principal of the credentials the request carries; null when it carries none. */
  private Principal presented(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && !auth.isBlank()) {
      String a = auth.strip();
      String scheme = a.contains(" ") ? a.substring(0, a.indexOf(' ')).toLowerCase(Locale.ROOT) : a;
      String value = a.contains(" ") ? a.substring(a.indexOf(' ') + 1).strip() : "";
      return switch (scheme) {
        case "basic" -> basic(value);
        case "bearer" -> accounts.verifyToken(value);
        default -> throw new CairnException(ErrorCode.UNAUTHORIZED,
            "unsupported Authorization scheme '" + scheme + "' (use Basic or Bearer)");
      };
    }
    String cookie = ctx.cookie(Sessions.COOKIE);
    if (cookie != null && !cookie.isEmpty()) {
      return session(ctx, cookie);
    }
    return null;
  }

  private Principal basic(String value) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Accounts.badCredentials();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw Accounts.badCredentials();
    }
    return accounts.verifyPassword(decoded.substring(0, colon), decoded.substring(colon + 1), "basic");
  }

  private Principal session(Context ctx, String cookie) {
    Sessions.Claim claim = sessions.verify(cookie).orElse(null);
    if (claim == null) {
      ctx.removeCookie(Sessions.COOKIE, "/");
      throw new CairnException(ErrorCode.UNAUTHORIZED, "session expired or invalid; log in again at /login");
    }
    Optional<UserAccount> u = accounts.currentUser(claim.user());
    if (u.isEmpty() || !Sessions.fingerprint(u.get()).equals(claim.fingerprint())) {
      ctx.removeCookie(Sessions.COOKIE, "/");
      throw new CairnException(ErrorCode.UNAUTHORIZED, "session ended (user removed or password changed)");
    }
    ctx.attribute(ATTR_SESSION, cookie);
    ctx.attribute(ATTR_CSRF, sessions.csrfToken(cookie));
    return Principal.user(u.get().name(), u.get().admin(), "session");
  }

  private void checkCsrf(Context ctx) {
    String expected = csrfToken(ctx);
    String sent = ctx.header(CSRF_HEADER);
    if (sent == null && isForm(ctx)) {
      sent = ctx.formParam("csrf");
    }
    if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8))) {
      throw new CairnException(ErrorCode.FORBIDDEN,
          "missing or wrong CSRF token (forms from the web UI carry one; API clients use Basic or Bearer)");
    }
  }

  /**
   * The CSRF token of the request's session, or "" when it has none: for whoami and for the forms pages
   * render (a static lookup, so page code needs no reference to the authenticator).
   */
  public static String csrfToken(Context ctx) {
    String token = ctx.attribute(ATTR_CSRF);
    return token == null ? "" : token;
  }

  static boolean isPublic(String path) {
    return PUBLIC_EXACT.contains(path) || path.startsWith("/assets/");
  }

  private static boolean isSafe(Context ctx) {
    String m = ctx.method().name();
    return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    if (type == null) {
      return false;
    }
    type = type.toLowerCase(Locale.ROOT);
    // Only form bodies are parsed here: reading a raw upload body as a form would buffer it whole.
    return type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded");
  }

  private static boolean wantsHtml(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html");
  }
}
