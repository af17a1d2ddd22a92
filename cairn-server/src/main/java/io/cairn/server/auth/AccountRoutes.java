package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import io.cairn.meta.AccessKey;
import io.cairn.meta.AccessStore;
import io.cairn.meta.ApiToken;
import io.cairn.meta.UserAccount;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/users} and {@code /api/v1/tokens}. Managing users needs an admin; a user may change
 * their own password and create, list and revoke their own tokens and access keys. Anonymous dev-mode
 * callers manage nothing: accounts always need a real login. Secrets appear once, in the create answer.
 */
public final class AccountRoutes {
  private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);
  private final Accounts accounts;

  public AccountRoutes(Accounts accounts) {
    this.accounts = accounts;
  }

  public void register(Javalin app) {
    app.get("/api/v1/users", ctx -> {
      requireAdmin();
      ctx.json(Map.of("users", accounts.users().stream().map(AccountRoutes::userView).toList()));
    });
    app.post("/api/v1/users", this::addUser);
    app.delete("/api/v1/users/{name}", this::removeUser);
    app.put("/api/v1/users/{name}/password", this::setPassword);
    app.get("/api/v1/tokens", this::listTokens);
    app.post("/api/v1/tokens", this::createToken);
    app.delete("/api/v1/tokens/{id}", this::revoke);
  }

  private void addUser(Context ctx) {
    Principal p = requireAdmin();
    Map<String, Object> body = Json.readObject(ctx.body());
    String name = Json.stringField(body, "name", true);
    UserAccount u = accounts.createUser(name, Json.stringField(body, "password", true),
        Boolean.TRUE.equals(body.get("admin")));
    log.info("user {} created by {}{}", name, p.name(), u.admin() ? " (admin)" : "");
    ctx.status(201).json(userView(u));
  }

  private void removeUser(Context ctx) {
    Principal p = requireAdmin();
    String name = ctx.pathParam("name");
    accounts.deleteUser(name);
    log.info("user {} removed by {} (their tokens and access keys are revoked)", name, p.name());
    ctx.status(204);
  }

  private void setPassword(Context ctx) {
    Principal p = requireSelfOrAdmin(ctx.pathParam("name"));
    String name = ctx.pathParam("name");
    accounts.setPassword(name, Json.stringField(Json.readObject(ctx.body()), "password", true));
    log.info("password of user {} changed by {}", name, p.name());
    ctx.status(204);
  }

  private void listTokens(Context ctx) {
    Principal p = requireUser();
    String user = ctx.queryParam("user");
    if (user == null && !p.admin()) {
      user = p.name();
    }
    if (user != null) {
      requireSelfOrAdmin(user);
    }
    AccessStore.Credentials c = accounts.credentials(user);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tokens", c.tokens().stream().map(AccountRoutes::tokenView).toList());
    out.put("accessKeys", c.accessKeys().stream().map(AccountRoutes::keyView).toList());
    ctx.json(out);
  }

  private void createToken(Context ctx) {
    Principal p = requireUser();
    Map<String, Object> body = ctx.body().isBlank() ? Map.of() : Json.readObject(ctx.body());
    String user = body.get("user") == null ? p.name() : Json.stringField(body, "user", true);
    requireSelfOrAdmin(user);
    if (accounts.user(user).isEmpty()) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no user " + user);
    }
    String type = body.get("type") == null ? "bearer" : Json.stringField(body, "type", true);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", user);
    switch (type) {
      case "bearer" -> {
        String label = Json.stringField(body, "label", false);
        Accounts.Issued t = accounts.createToken(user, label == null ? "" : label);
        out.put("id", t.id());
        out.put("token", t.secret());
      }
      case "s3" -> {
        Accounts.Issued k = accounts.createAccessKey(user);
        out.put("id", k.id());
        out.put("accessKeyId", k.id());
        out.put("secretAccessKey", k.secret());
      }
      default -> throw CairnException.invalid("type must be 'bearer' or 's3', was '" + type + "'");
    }
    log.info("{} credential {} created for user {} by {}", type, out.get("id"), user, p.name());
    ctx.status(201).json(out);
  }

  private void revoke(Context ctx) {
    Principal p = requireUser();
    String id = ctx.pathParam("id");
    String owner = accounts.credentialOwner(id)
        .orElseThrow(() -> new CairnException(ErrorCode.NOT_FOUND, "no token or access key " + id));
    requireSelfOrAdmin(owner);
    accounts.revoke(id);
    log.info("credential {} of user {} revoked by {}", id, owner, p.name());
    ctx.status(204);
  }

  private static Principal requireUser() {
    Principal p = CurrentPrincipal.require();
    if (p.anonymous() || p == Authenticator.NOBODY) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "managing accounts needs a login (Basic or Bearer)");
    }
    return p;
  }

  private static Principal requireAdmin() {
    Principal p = requireUser();
    if (!p.admin()) {
      throw new CairnException(ErrorCode.FORBIDDEN, "only an admin may do this");
    }
    return p;
  }

  private static Principal requireSelfOrAdmin(String user) {
    Principal p = requireUser();
    if (!p.admin() && !p.name().equals(user)) {
      throw new CairnException(ErrorCode.FORBIDDEN, "only " + user + " or an admin may do this");
    }
    return p;
  }

  private static Map<String, Object> userView(UserAccount u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("admin", u.admin());
    m.put("createdMillis", u.createdMillis());
    return m;
  }

  private static Map<String, Object> tokenView(ApiToken t) {
    return Map.of("id", t.id(), "user", t.user(), "label", t.label(), "createdMillis", t.createdMillis());
  }

  private static Map<String, Object> keyView(AccessKey k) {
    return Map.of("id", k.id(), "user", k.user(), "createdMillis", k.createdMillis());
  }
}
