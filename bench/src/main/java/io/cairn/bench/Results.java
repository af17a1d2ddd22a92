package io.cairn.bench;

import io.cairn.bench.core.Timing;
import io.cairn.common.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a run, in the order measured. Workloads add one value per figure per pass; at the end
 * of a workload its figures are printed (one line each) and its JSON is written under the output dir.
 */
final class Results {
  private final Map<String, Figure> figures = new LinkedHashMap<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final Path outDir;
  private final PrintStream out;

  Results(Path outDir, PrintStream out) {
    this.outDir = outDir;
    this.out = out;
  }

  void add(String workload, String figure, String unit, double value) {
    figures.computeIfAbsent(workload + "|" + figure, k -> new Figure(workload, figure, unit)).passes.add(value);
  }

  /** Throughput and latency percentiles of one pass of a closed-loop load. */
  void addTiming(String workload, String op, Timing t) {
    add(workload, op + " ops/s", "ops/s", t.opsPerSecond());
    if (t.bytes > 0) {
      add(workload, op + " MB/s", "MB/s", t.mbPerSecond());
    }
    Stats s = new Stats(t.latenciesMs);
    add(workload, op + " latency mean", "ms", s.mean());
    add(workload, op + " latency p50", "ms", s.pct(50));
    add(workload, op + " latency p95", "ms", s.pct(95));
    add(workload, op + " latency p99", "ms", s.pct(99));
    add(workload, op + " failures", "count", t.failures);
    if (t.failures > 0) {
      note(workload, op + ": " + t.failures + " of " + t.ops() + " failed; first: " + t.firstFailure);
    }
  }

  /** A remark printed and kept with a workload's figures (e.g. why a peer could not run). */
  void note(String workload, String text) {
    notes.computeIfAbsent(workload, k -> new ArrayList<>()).add(text);
    out.println(workload + ": " + text);
  }

  /** The median of a figure, or NaN when it was not measured. */
  double median(String workload, String figure) {
    Figure f = figures.get(workload + "|" + figure);
    return f == null ? Double.NaN : f.median();
  }

  List<Figure> of(String workload) {
    return figures.values().stream().filter(f -> f.workload.equals(workload)).toList();
  }

  List<String> notes(String workload) {
    return notes.getOrDefault(workload, List.of());
  }

  /** Workloads with figures or notes, in the order first reported. */
  List<String> workloads() {
    return java.util.stream.Stream.concat(figures.values().stream().map(f -> f.workload), notes.keySet().stream())
        .distinct().toList();
  }

  /** Prints a finished workload's figures and writes {@code <workload>.json}. */
  void finish(String workload) throws IOException {
    of(workload).forEach(f -> out.println(f.line()));
    write(workload + ".json", json(of(workload), notes(workload)));
  }

  /** Writes {@code suite.json} with every figure of the run. */
  void finishSuite(Map<String, Object> machine) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("machine", machine);
    Map<String, Object> all = new LinkedHashMap<>();
    for (String w : workloads()) {
      all.put(w, json(of(w), notes(w)));
    }
    doc.put("workloads", all);
    write("suite.json", doc);
  }

  Path outDir() {
    return outDir;
  }

  private static Map<String, Object> json(List<Figure> figs, List<String> notes) {
    Map<String, Object> doc = new LinkedHashMap<>();
    List<Map<String, Object>> list = new ArrayList<>();
    for (Figure f : figs) {
      Stats s = f.stats();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name);
      m.put("unit", f.unit);
      m.put("median", finite(s.pct(50)));
      m.put("min", finite(s.min()));
      m.put("max", finite(s.max()));
      m.put("passes", f.passes.stream().map(Results::finite).toList());
      list.add(m);
    }
    doc.put("figures", list);
    doc.put("notes", notes);
    return doc;
  }

  /** JSON has no NaN; an unmeasurable value is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private void write(String name, Object doc) throws IOException {
    Files.createDirectories(outDir);
    Files.write(outDir.resolve(name), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
  }
}
