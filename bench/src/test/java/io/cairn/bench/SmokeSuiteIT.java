package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cairn bench smoke} as part of {@code ./cairn test}, so the suite cannot rot: every workload
 * runs for a few seconds against one small cluster, and suite.json must hold every figure with a value.
 * Figures are not judged here (the machine is shared); only that each was measured.
 */
class SmokeSuiteIT {
  @TempDir
  Path out;

  @Test
  void smokeRunMeasuresEveryFigure() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Suite suite = new Suite();
    try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      suite.run(suite.workloads(), BenchEnv.parse(List.of("--out", out.toString(), "w3.seconds=3"), true), ps);
    }
    System.out.print(printed.toString(StandardCharsets.UTF_8));
    JsonNode doc = Json.MAPPER.readTree(Files.readAllBytes(out.resolve("suite.json")));
    JsonNode workloads = doc.path("workloads");
    for (String w : List.of("limit", "micro", "W1", "memory", "W2", "W3", "W4", "W5", "W6", "ratio")) {
      assertThat(workloads.has(w)).as("workload %s in suite.json", w).isTrue();
      assertThat(out.resolve(w + ".json")).exists();
    }
    List<String> failed = new ArrayList<>();
    workloads.fields().forEachRemaining(e -> e.getValue().path("notes").forEach(n -> {
      if (n.asText().startsWith("failed:")) {
        failed.add(e.getKey() + ": " + n.asText());
      }
    }));
    assertThat(failed).as("workloads that failed").isEmpty();
    List<String> missing = new ArrayList<>();
    workloads.fields().forEachRemaining(e -> e.getValue().path("figures").forEach(f -> {
      if (!f.path("median").isNumber()) {
        missing.add(e.getKey() + " / " + f.path("name").asText());
      }
    }));
    assertThat(missing).as("figures without a value").isEmpty();
    for (String figure : List.of("write c=1 MB/s", "write c=8 MB/s", "read c=8 MB/s", "write c=8 latency p95")) {
      assertThat(names(workloads.path("W1"))).contains(figure);
    }
    assertThat(names(workloads.path("W2"))).contains("create c=16 ops/s", "create c=16 latency p99",
        "read c=16 ops/s", "read c=16 latency p99");
    assertThat(names(workloads.path("W3"))).contains("50 users requests/s", "50 users latency p95",
        "200 users failures");
    assertThat(names(workloads.path("W6"))).contains("seconds to full replication", "heal MB/s (kill to healed)");
    assertThat(names(workloads.path("limit"))).contains(DiskLimit.SEQUENTIAL, DiskLimit.PER_REPLICA);
    assertThat(names(workloads.path("ratio"))).contains("W1 write c=8 MB/s % of limit");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("W2       create c=16 ops/s");
  }

  private static List<String> names(JsonNode workload) {
    List<String> names = new ArrayList<>();
    workload.path("figures").forEach(f -> names.add(f.path("name").asText()));
    return names;
  }
}
