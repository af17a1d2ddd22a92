package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code cairn monitor} writes before it starts anything: the config copy and the target file. */
class MonitorCommandTest {
  @TempDir
  Path tmp;

  @Test
  void localTargetsFollowTheCairnUpLayout() {
    assertThat(MonitorCommand.localTargets(3, 8080)).containsExactly("127.0.0.1:8080", "127.0.0.1:8081",
        "127.0.0.1:8082");
  }

  @Test
  void targetFileNamesEachNode() throws Exception {
    JsonNode t = Json.MAPPER.readTree(MonitorCommand.targetsJson(List.of("10.0.0.1:8080", "node-b:9000")));
    assertThat(t).hasSize(2);
    assertThat(t.get(1).path("targets").get(0).asText()).isEqualTo("node-b:9000");
    assertThat(t.get(1).path("labels").path("node").asText()).isEqualTo("2");
    assertThatThrownBy(() -> MonitorCommand.targetsJson(List.of("no-port"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonitorCommand.targetsJson(List.of("a:1\"]}"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configCopyKeepsTheShippedFilesAndSetsTheInterval() throws Exception {
    Path src = configDir();
    Path out = MonitorCommand.writeConfig(src, tmp.resolve("cfg"), List.of("127.0.0.1:7000"), "1s");
    String yml = Files.readString(out.resolve("prometheus.yml"));
    assertThat(yml).contains("scrape_interval: 1s", "evaluation_interval: 1s", "scrape_timeout: 1000ms")
        .doesNotContain("scrape_interval: 5s");
    assertThat(out.resolve("rules.yml")).hasSameTextualContentAs(src.resolve("rules.yml"));
    assertThat(Files.readString(out.resolve("targets/cairn.json"))).contains("127.0.0.1:7000");
    String unchanged = Files.readString(MonitorCommand.writeConfig(src, tmp.resolve("cfg5"), List.of("h:1"), "5s")
        .resolve("prometheus.yml"));
    assertThat(unchanged).isEqualTo(Files.readString(src.resolve("prometheus.yml")));
    assertThatThrownBy(() -> MonitorCommand.writeConfig(src, tmp.resolve("x"), List.of("h:1"), "fast"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsTheShippedConfigFromTheModuleDirectory() {
    assertThat(MonitorCommand.findConfigDir()).isNotNull();
    assertThat(MonitorCommand.findConfigDir().resolve("docker-compose.yml")).exists();
  }

  @Test
  void theSeedQueriesPageCarriesFiveQueries() {
    String url = MonitorCommand.seedQueriesUrl("http://127.0.0.1:9090");
    assertThat(url).startsWith("http://127.0.0.1:9090/graph?").contains("g4.expr=").doesNotContain("g5.expr");
  }

  static Path configDir() {
    Path d = MonitorCommand.findConfigDir();
    assertThat(d).isNotNull();
    return d;
  }
}
