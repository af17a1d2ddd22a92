package io.cairn.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn monitor}: starts Prometheus (and Grafana) watching a Cairn cluster and prints where to look.
 *
 * <p><b>Config.</b> The files in {@code deploy/monitoring/} are the source. They are copied to
 * {@code <data>/prometheus/config/} together with a target file naming the nodes to scrape ({@code --nodes}
 * and {@code --port}, as for {@code cairn up}, or explicit {@code --target}s), so the shipped files stay
 * untouched and Prometheus re-reads the targets while it runs.
 *
 * <p><b>Two ways to run.</b> When a Docker engine answers, {@code docker compose} starts Prometheus and
 * Grafana from {@code docker-compose.yml} in the background and the command returns. Otherwise a locally
 * installed {@code prometheus} binary runs with the same config on 127.0.0.1, storing its data in
 * {@code <data>/prometheus/data}, in the foreground until Ctrl-C (which stops it).
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start Prometheus (and Grafana, with Docker) watching a Cairn cluster; print their URLs.")
public final class MonitorCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  /** How to start the stack. */
  enum DockerMode { AUTO, ALWAYS, NEVER }

  @Option(names = "--nodes", defaultValue = "3", description = "Nodes of the local cluster (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port of node 1 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--target", description = "A node to scrape, host:port (repeatable; replaces --nodes/--port).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--data", defaultValue = "cairn-data",
      description = "Directory for Prometheus' config copy and data (under DIR/prometheus; default ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--prometheus-port", defaultValue = "9090", description = "Prometheus port (default ${DEFAULT-VALUE}).")
  int prometheusPort;

  @Option(names = "--grafana-port", defaultValue = "3000", description = "Grafana port, with Docker (default ${DEFAULT-VALUE}).")
  int grafanaPort;

  @Option(names = "--scrape-interval", defaultValue = "5s", description = "Scrape interval (default ${DEFAULT-VALUE}).")
  String scrapeInterval;

  @Option(names = "--docker", defaultValue = "auto",
      description = "auto: docker compose when a Docker engine answers, else the local prometheus; always; never.")
  String dockerMode;

  @Option(names = "--prometheus", defaultValue = "prometheus", description = "The prometheus binary (default: from PATH).")
  String prometheusBinary;

  @Option(names = "--config-dir", description = "Directory with prometheus.yml, rules.yml, docker-compose.yml "
      + "(default: deploy/monitoring of this Cairn checkout).")
  Path configDir;

  @Override
  public Integer call() throws Exception {
    DockerMode docker;
    try {
      docker = DockerMode.valueOf(dockerMode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("cairn monitor: --docker must be auto, always or never, was '" + dockerMode + "'");
      return 1;
    }
    Path source = configDir != null ? configDir : findConfigDir();
    if (source == null || !Files.isRegularFile(source.resolve("prometheus.yml"))) {
      System.err.println("cairn monitor: cannot find deploy/monitoring/prometheus.yml; run from the Cairn "
          + "checkout or pass --config-dir");
      return 1;
    }
    List<String> scrape = targets.isEmpty() ? localTargets(nodes, port) : targets;
    Path runDir = data.toAbsolutePath().normalize().resolve("prometheus");
    Path config = writeConfig(source, runDir.resolve("config"), scrape, scrapeInterval);
    String prometheusUrl = "http://127.0.0.1:" + prometheusPort;
    System.out.println("scraping " + String.join(", ", scrape) + " every " + scrapeInterval);
    if (docker != DockerMode.NEVER) {
      List<String> compose = dockerCompose();
      if (compose != null) {
        return startCompose(compose, source, config, prometheusUrl);
      }
      if (docker == DockerMode.ALWAYS) {
        System.err.println("cairn monitor: no Docker engine with compose answers (docker info failed)");
        return 1;
      }
      System.out.println("no Docker engine answers; starting the local prometheus binary instead");
    }
    return runLocal(source, runDir, config, prometheusUrl);
  }

  private int runLocal(Path source, Path runDir, Path config, String prometheusUrl) throws InterruptedException {
    String binary = findOnPath(prometheusBinary);
    if (binary == null) {
      System.err.println("cairn monitor: neither a Docker engine nor a '" + prometheusBinary + "' binary was found."
          + " Install Prometheus (Debian/Ubuntu: apt-get install prometheus) or Docker, or pass --prometheus PATH.");
      return 1;
    }
    if (!portFree(prometheusPort)) {
      System.err.println("cairn monitor: 127.0.0.1:" + prometheusPort + " is in use (another Prometheus?); "
          + "pass --prometheus-port");
      return 1;
    }
    LocalPrometheus prometheus;
    try {
      prometheus = LocalPrometheus.start(binary, config.resolve("prometheus.yml"), runDir.resolve("data"),
          prometheusPort, runDir.resolve("prometheus.log"), Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      System.err.println("cairn monitor: " + e.getMessage());
      return 1;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping Prometheus...");
      prometheus.close();
      System.out.println("stopped");
      done.countDown();
    }, "cairn-monitor-shutdown"));
    System.out.println("prometheus: " + prometheusUrl + "  (targets " + prometheusUrl + "/targets, alerts "
        + prometheusUrl + "/alerts)");
    System.out.println("dashboard:  " + seedQueriesUrl(prometheusUrl));
    System.out.println("grafana:    not started (needs Docker); to use your own Grafana, add the data source "
        + prometheusUrl + " and import " + source.resolve("grafana_dashboard.json"));
    System.out.println("data:       " + runDir + " (log prometheus.log)");
    System.out.println("ready: Prometheus " + prometheus.version() + " running (Ctrl-C stops it)");
    done.await();
    return 0;
  }

  private int startCompose(List<String> compose, Path source, Path config, String prometheusUrl)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(compose);
    cmd.addAll(List.of("-f", source.resolve("docker-compose.yml").toString(), "up", "-d"));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    Map<String, String> env = pb.environment();
    env.put("CAIRN_MONITOR_CONFIG", config.toString());
    env.put("CAIRN_PROMETHEUS_PORT", Integer.toString(prometheusPort));
    env.put("CAIRN_GRAFANA_PORT", Integer.toString(grafanaPort));
    int code = pb.start().waitFor();
    if (code != 0) {
      System.err.println("cairn monitor: " + String.join(" ", cmd) + " failed with exit code " + code);
      return code;
    }
    String grafana = "http://127.0.0.1:" + grafanaPort;
    boolean up = awaitReady(prometheusUrl + "/-/ready", Duration.ofSeconds(60), null);
    System.out.println("prometheus: " + prometheusUrl + (up ? "" : " (not answering yet)"));
    System.out.println("grafana:    " + grafana + "  (admin / admin)");
    System.out.println("dashboard:  " + grafana + "/d/cairn-overview/cairn");
    System.out.println("stop with:  " + String.join(" ", compose) + " -f " + source.resolve("docker-compose.yml")
        + " down");
    return 0;
  }

  /** host:port of each node of a local cluster laid out as {@code cairn up} does. */
  public static List<String> localTargets(int nodes, int firstPort) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      out.add("127.0.0.1:" + (firstPort + i));
    }
    return out;
  }

  /**
   * Copies prometheus.yml and rules.yml from {@code source} to {@code dest}, with the given scrape (and rule
   * evaluation) interval, and writes {@code dest/targets/cairn.json} naming the targets (label node=1..N in
   * order). Returns {@code dest}.
   */
  public static Path writeConfig(Path source, Path dest, List<String> targets, String interval) {
    Matcher m = DURATION.matcher(interval);
    if (!m.matches()) {
      throw new IllegalArgumentException("scrape interval must look like 5s, 1500ms or 1m, was " + interval);
    }
    long millis = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "ms" -> 1;
      case "s" -> 1000;
      default -> 60_000;
    };
    if (millis < 100) {
      throw new IllegalArgumentException("scrape interval must be at least 100ms, was " + interval);
    }
    try {
      Files.createDirectories(dest.resolve("targets"));
      String yml = Files.readString(source.resolve("prometheus.yml"))
          .replace("scrape_interval: 5s", "scrape_interval: " + interval)
          .replace("evaluation_interval: 5s", "evaluation_interval: " + interval)
          .replace("scrape_timeout: 4s", "scrape_timeout: " + (millis >= 4000 ? "4s" : millis + "ms"));
      Files.writeString(dest.resolve("prometheus.yml"), yml);
      Files.copy(source.resolve("rules.yml"), dest.resolve("rules.yml"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dest.resolve("targets/cairn.json"), targetsJson(targets));
      return dest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Prometheus config to " + dest, e);
    }
  }

  /** A file_sd target file: one group per node, labelled node=1..N. */
  public static String targetsJson(List<String> targets) {
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < targets.size(); i++) {
      String t = targets.get(i);
      if (!t.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+")) {
        throw new IllegalArgumentException("target must be host:port, was '" + t + "'");
      }
      sb.append("  {\"targets\": [\"").append(t).append("\"], \"labels\": {\"node\": \"").append(i + 1)
          .append("\"}}").append(i + 1 < targets.size() ? ",\n" : "\n");
    }
    return sb.append("]\n").toString();
  }

  /** A Prometheus graph page showing the seed guide's five queries. */
  static String seedQueriesUrl(String prometheusUrl) {
    String[] queries = {
        "sum(rate(cache_hits_total[5m])) / (sum(rate(cache_hits_total[5m])) + sum(rate(cache_misses_total[5m]))) * 100",
        "sum(rate(replication_attempts_total{status=\"success\"}[5m])) / sum(rate(replication_attempts_total[5m])) * 100",
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
        "sum by (instance) (rate(http_requests_total[5m]))",
        "max(active_nodes_count)"};
    StringBuilder sb = new StringBuilder(prometheusUrl).append("/graph?");
    for (int i = 0; i < queries.length; i++) {
      sb.append(i == 0 ? "" : "&").append("g").append(i).append(".expr=")
          .append(URLEncoder.encode(queries[i], StandardCharsets.UTF_8))
          .append("&g").append(i).append(".tab=0&g").append(i).append(".range_input=30m");
    }
    return sb.toString();
  }

  /** deploy/monitoring of this checkout: looked for above the working directory and above the jar. */
  static Path findConfigDir() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(Path.of(MonitorCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (Exception e) {
      // No code source (unusual class loader): the working directory is enough.
    }
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        Path candidate = p.resolve("deploy").resolve("monitoring");
        if (Files.isRegularFile(candidate.resolve("prometheus.yml"))) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** The compose command when a Docker engine answers ({@code docker info}), else null. */
  static List<String> dockerCompose() {
    if (findOnPath("docker") == null || !succeeds(List.of("docker", "info", "--format", "{{.ServerVersion}}"))) {
      return null;
    }
    if (succeeds(List.of("docker", "compose", "version"))) {
      return List.of("docker", "compose");
    }
    return findOnPath("docker-compose") != null ? List.of("docker-compose") : null;
  }

  private static boolean succeeds(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An executable by path, or found on PATH; null when there is none. */
  public static String findOnPath(String name) {
    if (name.contains("/")) {
      return Files.isExecutable(Path.of(name)) ? name : null;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }

  static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code url} until it answers 200; false on timeout or when {@code process} exits first. */
  static boolean awaitReady(String url, Duration timeout, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (System.nanoTime() < deadline) {
        if (process != null && !process.isAlive()) {
          return false;
        }
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
              .build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return true;
          }
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(200);
      }
    }
    return false;
  }

  /** A Prometheus server process on 127.0.0.1, started from a config file; close() stops it. */
  public static final class LocalPrometheus implements AutoCloseable {
    private final Process process;
    private final String url;
    private final Path log;
    private final String version;

    private LocalPrometheus(Process process, String url, Path log, String version) {
      this.process = process;
      this.url = url;
      this.log = log;
      this.version = version;
    }

    /**
     * Starts {@code binary} with {@code config}, TSDB in {@code storage}, listening on 127.0.0.1:{@code port},
     * output to {@code log}; returns once {@code /-/ready} answers. Throws IllegalStateException (with the
     * log's tail) when it exits or is not ready within {@code timeout}.
     */
    public static LocalPrometheus start(String binary, Path config, Path storage, int port, Path log,
        Duration timeout) {
      String url = "http://127.0.0.1:" + port;
      Process p;
      try {
        Files.createDirectories(storage);
        Files.createDirectories(log.toAbsolutePath().getParent());
        p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + storage,
            "--storage.tsdb.retention.time=15d", "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
      }
      boolean ready;
      try {
        ready = awaitReady(url + "/-/ready", timeout, p);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ready = false;
      }
      if (!ready) {
        p.destroyForcibly();
        throw new IllegalStateException("Prometheus did not become ready on " + url + " within "
            + timeout.toSeconds() + " s" + (p.isAlive() ? "" : " (it exited)") + "; log " + log + ":\n"
            + tail(log, 20));
      }
      return new LocalPrometheus(p, url, log, versionOf(binary));
    }

    public String url() {
      return url;
    }

    public Path log() {
      return log;
    }

    public String version() {
      return version;
    }

    public boolean alive() {
      return process.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    /** Stops Prometheus: SIGTERM (it flushes its head block), SIGKILL after 15 s. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    private static String versionOf(String binary) {
      try {
        Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("version (\\S+)").matcher(out);
        return m.find() ? m.group(1) : "(unknown version)";
      } catch (IOException e) {
        return "(unknown version)";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "(unknown version)";
      }
    }

    static String tail(Path file, int lines) {
      try {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }
}
