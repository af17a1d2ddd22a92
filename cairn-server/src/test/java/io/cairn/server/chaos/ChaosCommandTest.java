package io.cairn.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chaos command's option handling. */
class ChaosCommandTest {
  @Test
  void aNodeFlagGivenByTheUserReplacesTheDefault() {
    List<String> args = ChaosCommand.nodeArgs(List.of("--orphan-grace=PT1S", "--zone=a"));
    assertThat(args).doesNotContain("--orphan-grace", "PT90S").contains("--orphan-grace=PT1S", "--zone=a")
        .contains("--dead-after", "PT3S");
    assertThat(ChaosCommand.nodeArgs(List.of())).isEqualTo(ChaosCommand.NODE_ARGS);
  }

  @Test
  void durationsReadLikeTheyAreWritten() {
    ChaosCommand.DurationConverter c = new ChaosCommand.DurationConverter();
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> c.convert("2x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentIsDistinctPerWriteAndReproducible() {
    assertThat(Content.of(7, 4096)).isEqualTo(Content.of(7, 4096));
    assertThat(Content.sha256(Content.of(7, 4096))).isNotEqualTo(Content.sha256(Content.of(8, 4096)));
    assertThat(Workers.keySpace(3)).containsExactly("k000", "k001", "k002");
  }
}
