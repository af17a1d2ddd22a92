package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.Main;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short {@code cairn chaos} run as part of the test suite: load against real node processes while
 * nodes are killed, restarted, paused and resumed, then the Jepsen-style check (nothing acknowledged lost,
 * no delete undone, no stale or corrupt read, replication restored). The command prints its figures.
 */
class ChaosIT {
  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void nothingAcknowledgedIsLostUnderCrashesAndPauses() {
    int code = Main.commandLine().execute("chaos", "--nodes", "5", "--duration", "100s", "--heap", "256m");
    assertThat(code).as("cairn chaos exit code (0 = no violation; see its report above)").isZero();
  }
}
