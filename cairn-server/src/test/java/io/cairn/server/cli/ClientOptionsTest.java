package io.cairn.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which credentials the CLI sends: token first, then user and password, then the admin credentials file. */
class ClientOptionsTest {
  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAdminCredentialsFileLoadedIntoTheEnvironmentIsUsedWhenNothingElseIsGiven() {
    ClientOptions o = new ClientOptions();
    assertThat(o.authorization(Map.of("CAIRN_ADMIN_USER", "admin", "CAIRN_ADMIN_PASSWORD", "pw")))
        .isEqualTo(basic("admin", "pw"));
  }

  @Test
  void anExplicitUserOrTokenWinsOverTheAdminLines() {
    Map<String, String> env = Map.of("CAIRN_ADMIN_USER", "admin", "CAIRN_ADMIN_PASSWORD", "pw");
    ClientOptions user = new ClientOptions();
    user.user = "carol";
    user.password = "secret-1";
    assertThat(user.authorization(env)).isEqualTo(basic("carol", "secret-1"));
    ClientOptions token = new ClientOptions();
    token.token = "cairn_abc_def";
    assertThat(token.authorization(env)).isEqualTo("Bearer cairn_abc_def");
  }

  @Test
  void withoutAnyCredentialsRequestsAreAnonymous() {
    assertThat(new ClientOptions().authorization(Map.of())).isNull();
  }
}
