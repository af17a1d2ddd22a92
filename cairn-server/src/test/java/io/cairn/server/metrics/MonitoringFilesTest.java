package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped files in deploy/monitoring: Prometheus config and rules checked by promtool (and the alert unit
 * tests run), the dashboard's shape (one query per panel, every seed metric and the seed's five queries on
 * it), the compose file's mounts, and that a node's exposition passes promtool's parser.
 */
class MonitoringFilesTest {
  static final Path DIR = ExternalTools.monitoringDir();
  static final List<String> SEED_PANELS = List.of("Cache hit rate", "Replication success rate", "P95 response time",
      "Requests per second", "Active nodes");

  @Test
  void promtoolAcceptsTheConfigAndTheRules() {
    String promtool = ExternalTools.require("promtool");
    ExternalTools.Run config = ExternalTools.run(DIR, null, promtool, "check", "config", "prometheus.yml");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output()).contains("SUCCESS");
    ExternalTools.Run rules = ExternalTools.run(DIR, null, promtool, "check", "rules", "rules.yml");
    assertThat(rules.exitCode()).as(rules.output()).isZero();
    assertThat(rules.output()).contains("SUCCESS: 16 rules found");
  }

  @Test
  void alertsFireWhenTheirConditionLasts() {
    String promtool = ExternalTools.require("promtool");
    ExternalTools.Run test = ExternalTools.run(DIR, null, promtool, "test", "rules", "rules_test.yml");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertTheIssueAsksForExists() throws Exception {
    String rules = Files.readString(DIR.resolve("rules.yml"));
    assertThat(rules).contains("alert: CairnNodeDown", "alert: CairnUnderReplicatedChunks",
        "alert: CairnHighErrorRate", "alert: CairnHighLatencyP95", "alert: CairnDiskAlmostFull",
        "alert: CairnNoRaftLeader");
  }

  @Test
  void theExpositionParses() {
    String promtool = ExternalTools.require("promtool");
    Metrics m = new Metrics();
    m.shardsCreated.inc();
    m.httpRequests.labelValues("GET", "/x", "200").inc();
    ExternalTools.Run check = ExternalTools.run(DIR, m.scrapeText(), promtool, "check", "metrics");
    // The only complaints allowed are about seed names kept exactly (gauges ending in _count).
    for (String line : check.output().split("\n")) {
      if (!line.isBlank()) {
        assertThat(line).matches("(active_nodes_count|node_selection_count|total_nodes_count) "
            + "non-histogram and non-summary metrics should not have \"_count\" suffix");
      }
    }
  }

  @Test
  void prometheusScrapesTheLocalClusterEveryFiveSeconds() throws Exception {
    String yml = Files.readString(DIR.resolve("prometheus.yml"));
    assertThat(yml).contains("job_name: cairn", "scrape_interval: 5s", "targets/*.json", "rules.yml");
    JsonNode targets = Json.MAPPER.readTree(DIR.resolve("targets/local.json").toFile());
    List<String> all = new ArrayList<>();
    targets.forEach(g -> g.path("targets").forEach(t -> all.add(t.asText())));
    assertThat(all).containsExactly("127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082");
  }

  @Test
  void everyPanelHasOneQueryAndTheDashboardCoversEverySeedMetric() throws Exception {
    JsonNode dash = Json.MAPPER.readTree(DIR.resolve("grafana_dashboard.json").toFile());
    assertThat(dash.path("uid").asText()).isEqualTo("cairn-overview");
    Set<Integer> ids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    StringBuilder allExprs = new StringBuilder();
    for (JsonNode p : dash.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("unique panel id %s", p.path("id")).isTrue();
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      String title = p.path("title").asText();
      assertThat(titles.add(title)).as("unique title %s", title).isTrue();
      assertThat(p.path("targets")).as(title).hasSize(1);
      String expr = p.path("targets").get(0).path("expr").asText();
      assertThat(expr).as(title).isNotBlank().contains("job=\"cairn\"");
      assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      allExprs.append(expr).append('\n');
    }
    for (String name : SeedMetrics.NAMES) {
      assertThat(allExprs.toString()).as("a panel queries %s", name).containsPattern("\\b" + name + "(_bucket|_sum|_count)?\\{");
    }
    assertThat(titles).containsAll(SEED_PANELS);
    assertThat(ids.size()).isGreaterThan(40);
  }

  @Test
  void grafanaProvisioningAndComposeFitTogether() throws Exception {
    String compose = Files.readString(DIR.resolve("docker-compose.yml"));
    assertThat(compose).contains("prometheus:", "grafana:", "network_mode: host", "9090", "3000",
        "./grafana/provisioning:/etc/grafana/provisioning", "./grafana_dashboard.json:");
    assertThat(DIR.resolve("grafana/provisioning/datasources/prometheus.yml")).exists();
    String provider = Files.readString(DIR.resolve("grafana/provisioning/dashboards/cairn.yml"));
    assertThat(provider).contains("path: /var/lib/grafana/dashboards/cairn");
    assertThat(compose).contains("/var/lib/grafana/dashboards/cairn/grafana_dashboard.json");
  }
}
