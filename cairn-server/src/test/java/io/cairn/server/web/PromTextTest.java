package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cairn.common.CairnException;
import io.cairn.server.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {

  @Test
  void readsWhatANodeExports() throws IOException {
    Metrics m = new Metrics();
    m.replicatedChunks.inc(7);
    m.httpRequests.labelValues("GET", "/api/v1/files/{bucket}/<key>", "200").inc(3);
    m.httpRequests.labelValues("PUT", "/api/v1/files/{bucket}/<key>", "503").inc();
    m.nodeSelection.labelValues("127.0.0.1:8081").inc(4);
    m.httpDuration.labelValues("GET", "/").observe(0.003);
    m.httpDuration.labelValues("GET", "/").observe(0.2);
    m.gauge("cairn_under_replicated_chunks", "test", () -> 12);

    Scrape s = PromText.parse(text(m));

    assertThat(s.sum("replicated_chunks_total")).isEqualTo(7);
    assertThat(s.sum("http_requests_total")).isEqualTo(4);
    assertThat(s.sum("http_requests_total", "status", "503")).isEqualTo(1);
    assertThat(s.sumBy("node_selection_count", "node_ip")).isEqualTo(Map.of("127.0.0.1:8081", 4.0));
    assertThat(s.has("cairn_under_replicated_chunks")).isTrue();
    assertThat(s.has("cairn_heal_bytes_remaining")).isFalse();
    assertThat(s.has("process_start_time_seconds")).as("JVM metrics present").isTrue();
    Buckets b = s.buckets("http_request_duration_seconds");
    assertThat(b.count()).isEqualTo(2);
    assertThat(b.sum()).isCloseTo(0.203, within(1e-9));
    assertThat(b.cumulative().lastEntry().getKey()).isInfinite();
    assertThat(b.cumulative().get(0.005)).isEqualTo(1);
  }

  @Test
  void handlesEscapesInfinityTimestampsAndComments() {
    Scrape s = PromText.parse("""
        # HELP x a "help" line
        # TYPE x counter
        x_total{path="a\\"b\\\\c\\nd",le="+Inf"} 3 1712345678000
        y{a="1",} -Inf
        z NaN

        """);
    assertThat(s.samples()).hasSize(3);
    assertThat(s.samples().get(0).label("path")).isEqualTo("a\"b\\c\nd");
    assertThat(s.samples().get(0).value()).isEqualTo(3);
    assertThat(s.samples().get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.samples().get(2).value()).isNaN();
  }

  @Test
  void malformedLineNamesTheLine() {
    assertThatThrownBy(() -> PromText.parse("ok 1\nbroken{a=1} 2\n"))
        .isInstanceOf(CairnException.class).hasMessageContaining("line 2");
  }

  static String text(Metrics m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
