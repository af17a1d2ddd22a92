package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.UserAccount;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET/POST /login}, {@code /logout} and {@code GET /api/v1/whoami}. A successful login sets the
 * session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (no cross-site form posts carry it),
 * Path=/, for {@link Sessions#LIFETIME}.
 */
final class LoginRoutes {
  private final Authenticator auth;
  private final Accounts accounts;
  private final Sessions sessions;

  LoginRoutes(Authenticator auth, Accounts accounts, Sessions sessions) {
    this.auth = auth;
    this.accounts = accounts;
    this.sessions = sessions;
  }

  void register(Javalin app) {
    app.get("/login", ctx -> page(ctx, ""));
    app.post("/login", this::login);
    app.get("/logout", this::logout);
    app.post("/logout", this::logout);
    app.get("/api/v1/whoami", this::whoami);
  }

  private void login(Context ctx) {
    String user = ctx.formParam("username");
    String password = ctx.formParam("password");
    Principal p;
    try {
      if (user == null || password == null) {
        throw Accounts.badCredentials();
      }
      p = accounts.verifyPassword(user, password, "session");
    } catch (CairnException e) {
      if (e.code() != ErrorCode.UNAUTHORIZED) {
        throw e;
      }
      ctx.status(HttpStatus.UNAUTHORIZED);
      page(ctx, "Wrong user name or password.");
      return;
    }
    UserAccount account = accounts.currentUser(p.name()).orElseThrow(Accounts::badCredentials);
    ctx.res().addHeader("Set-Cookie", Sessions.COOKIE + "=" + sessions.create(account) + "; Path=/; Max-Age="
        + Sessions.LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax");
    ctx.redirect("/", HttpStatus.FOUND);
  }

  private void logout(Context ctx) {
    ctx.res().addHeader("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    ctx.redirect("/login", HttpStatus.FOUND);
  }

  private void whoami(Context ctx) {
    Principal p = CurrentPrincipal.require();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", p.anonymous() || p == Authenticator.NOBODY ? null : p.name());
    out.put("admin", p.admin());
    out.put("anonymous", p.anonymous());
    out.put("via", p.via());
    out.put("authMode", auth.mode().name().toLowerCase(Locale.ROOT));
    out.put("csrfToken", Authenticator.csrfToken(ctx));
    ctx.json(out);
  }

  private static void page(Context ctx, String error) {
    String err = error.isEmpty() ? "" : "<p class=\"flash error\" role=\"alert\">" + error + "</p>";
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8").result("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Cairn · log in</title><link rel="stylesheet" href="/assets/app.css"></head>
        <body><main id="main"><section class="panel"><h2>Log in to Cairn</h2>%s
        <form action="/login" method="post">
        <label>User <input name="username" autocomplete="username" required autofocus></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <button>Log in</button></form></section></main></body></html>
        """.formatted(err));
  }
}
