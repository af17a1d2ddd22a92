package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Logs in through {@code POST /login} as a browser would, for tests of session requests. */
public final class LoginForm {
  private LoginForm() {}

  /**
   * The {@code cairn_session=...} pair to send back as a Cookie header, after checking the login
   * answered 302 with an HttpOnly, SameSite cookie.
   */
  public static String sessionCookie(HttpClient http, String baseUrl, String user, String password)
      throws Exception {
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
