package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticator in front of a tiny Javalin app on loopback: wrong credentials are a 401 in both modes,
 * anonymous requests pass only in OPTIONAL mode, and cookie requests that change state need the CSRF token.
 */
class AuthenticatorTest {
  static final byte[] SESSION_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  Javalin app;
  Accounts accounts;

  /** Starts an app whose routes answer with the authenticated principal's name. */
  String start(AuthMode mode) {
    // A cheap Argon2 cost: these tests are about the request path, not the hash.
    accounts = new Accounts(new MemoryAccessStore(), new PasswordHasher(64, 1), Map.of(1, new byte[32]), 1, null);
    accounts.createUser("alice", "alice-secret-1", false);
    app = Javalin.create();
    app.exception(CairnException.class, (e, ctx) -> ctx.status(e.code().httpStatus())
        .json(Map.of("error", Map.of("code", e.code().name(), "message", e.getMessage()))));
    new Authenticator(mode, accounts, SESSION_KEY).install(app);
    app.get("/api/v1/things", ctx -> ctx.result(CurrentPrincipal.require().name()));
    app.post("/api/v1/things", ctx -> ctx.result("changed by " + CurrentPrincipal.require().name()));
    app.start("127.0.0.1", 0);
    return "http://127.0.0.1:" + app.port();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  HttpResponse<String> send(String method, String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void badCredentialsAre401EvenWhenAnonymousIsAllowed() throws Exception {
    String base = start(AuthMode.OPTIONAL);
    String url = base + "/api/v1/things";
    assertThat(send("GET", url, "Authorization", basic("alice", "wrong-password")).statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Authorization", basic("nobody", "alice-secret-1")).statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Authorization", "Basic not-base64!").statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Authorization", "Bearer cairn_nope_nope").statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Authorization", "Bearer garbage").statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Authorization", "Digest x=1").statusCode()).isEqualTo(401);
    assertThat(send("GET", url, "Cookie", Sessions.COOKIE + "=forged.cookie").statusCode()).isEqualTo(401);
    // Public routes too: wrong credentials never fall back to anonymous.
    assertThat(send("GET", base + "/healthz", "Authorization", basic("alice", "wrong-password")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void optionalModeLetsAnonymousInAndStillKnowsRealUsers() throws Exception {
    String url = start(AuthMode.OPTIONAL) + "/api/v1/things";
    assertThat(send("GET", url).body()).isEqualTo("anonymous");
    assertThat(send("POST", url).body()).isEqualTo("changed by anonymous");
    assertThat(send("GET", url, "Authorization", basic("alice", "alice-secret-1")).body()).isEqualTo("alice");
  }

  @Test
  void requiredModeRefusesAnonymousButAcceptsPasswordsAndTokens() throws Exception {
    String base = start(AuthMode.REQUIRED);
    String url = base + "/api/v1/things";
    HttpResponse<String> anon = send("GET", url);
    assertThat(anon.statusCode()).isEqualTo(401);
    assertThat(anon.body()).contains("authentication required");
    assertThat(send("POST", url).statusCode()).isEqualTo(401);
    // A browser asking for a page is sent to the login form instead.
    HttpResponse<String> page = send("GET", base + "/", "Accept", "text/html");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValue("/login");

    assertThat(send("GET", url, "Authorization", basic("alice", "alice-secret-1")).body()).isEqualTo("alice");
    String token = accounts.createToken("alice", "test").secret();
    assertThat(send("POST", url, "Authorization", "Bearer " + token).body()).isEqualTo("changed by alice");
  }

  @Test
  void sessionRequestsThatChangeStateNeedTheSessionsCsrfToken() throws Exception {
    String base = start(AuthMode.REQUIRED);
    String cookie = LoginForm.sessionCookie(http, base, "alice", "alice-secret-1");
    String url = base + "/api/v1/things";

    assertThat(send("GET", url, "Cookie", cookie).body()).isEqualTo("alice");
    String csrf = Json.MAPPER.readTree(send("GET", base + "/api/v1/whoami", "Cookie", cookie).body()).path("csrfToken").asText();
    assertThat(csrf).isNotEmpty();

    assertThat(send("POST", url, "Cookie", cookie).statusCode()).isEqualTo(403);
    assertThat(send("POST", url, "Cookie", cookie, Authenticator.CSRF_HEADER, csrf + "x").statusCode())
        .isEqualTo(403);
    HttpResponse<String> ok = send("POST", url, "Cookie", cookie, Authenticator.CSRF_HEADER, csrf);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("changed by alice");
  }
}
