package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
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
    Map<String, Object> body = Json.body(ctx);
    String name = Json.string(body, "name", true);
    UserAccount u = accounts.createUser(name, Json.string(body, "password", true),
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
    accounts.setPassword(name, Json.string(Json.body(ctx), "password", true));
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
    Map<String, Object> body = ctx.body().isBlank() ? Map.of() : Json.body(ctx);
    String user = body.get("user") == null ? p.name() : Json.string(body, "user", true);
    requireSelfOrAdmin(user);
    if (accounts.user(user).isEmpty()) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no user " + user);
    }
    String type = body.get("type") == null ? "bearer" : Json.string(body, "type", true);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", user);
    switch (type) {
      case "bearer" -> {
        Accounts.Issued t = accounts.createToken(user, body.get("label") == null ? "" : body.get("label").toString());
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

  /** Small JSON body helpers with 400s that name the field. */
  static final class Json {
    private Json() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Context ctx) {
      try {
        Object o = io.cairn.common.Json.MAPPER.readValue(ctx.body(), Object.class);
        if (o instanceof Map<?, ?> m) {
          return (Map<String, Object>) m;
        }
      } catch (java.io.IOException e) {
        throw CairnException.invalid("the body must be a JSON object: " + e.getMessage());
      }
      throw CairnException.invalid("the body must be a JSON object");
    }

    static String string(Map<String, Object> body, String field, boolean required) {
      Object v = body.get(field);
      if (v == null && required) {
        throw CairnException.invalid("missing field '" + field + "'");
      }
      if (v != null && !(v instanceof String)) {
        throw CairnException.invalid("field '" + field + "' must be a string");
      }
      return (String) v;
    }
  }

}
