package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work a request hands to another thread runs as the request's user (thumbnails read that way). */
class CurrentPrincipalTest {
  @AfterEach
  void clear() {
    CurrentPrincipal.clear();
  }

  @Test
  void carryRunsTheTaskAsTheCallerOnAnotherThread() throws Exception {
    Principal alice = Principal.user("alice", false, "session");
    CurrentPrincipal.set(alice);
    AtomicReference<Principal> seen = new AtomicReference<>();
    Thread t = Thread.ofVirtual().start(CurrentPrincipal.carry(() -> seen.set(CurrentPrincipal.orNull())));
    t.join();
    assertThat(seen.get()).isEqualTo(alice);

    // Without carry, the other thread has no principal and the file calls fail closed.
    Thread bare = Thread.ofVirtual().start(() -> seen.set(CurrentPrincipal.orNull()));
    bare.join();
    assertThat(seen.get()).isNull();
  }
}
