package io.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Each node's heap in use (from its /metrics, jvm_memory_used_bytes{area="heap"}) and RSS (VmRSS in
 * /proc/PID/status), sampled every 500 ms while a load runs; {@link #finish} records the peaks and the
 * values after a full GC (jcmd GC.run), which show whether memory stays flat once the load is gone.
 * Each sampled load (in W1, each client count of each pass) counts as one pass of these figures.
 */
final class MemorySampler implements AutoCloseable {
  private final BenchCluster c;
  private final int nodes;
  private final double[] heapPeak;
  private final double[] rssPeak;
  private final Thread thread;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private volatile boolean stop;

  MemorySampler(BenchCluster c, int nodes) {
    this.c = c;
    this.nodes = nodes;
    heapPeak = new double[nodes + 1];
    rssPeak = new double[nodes + 1];
    thread = Thread.ofPlatform().daemon().name("memory-sampler").start(this::loop);
  }

  private void loop() {
    while (!stop) {
      for (int n = 1; n <= nodes; n++) {
        heapPeak[n] = peak(heapPeak[n], heapMiB(n));
        rssPeak[n] = peak(rssPeak[n], rssMiB(n));
      }
      sleep(500);
    }
  }

  /** Stops sampling and adds per-node peak and after-GC heap and RSS (MiB) to the results. */
  void finish(Results results, String workload) throws InterruptedException {
    close();
    for (int n = 1; n <= nodes; n++) {
      results.add(workload, "node " + n + " heap used peak", "MiB", heapPeak[n]);
      results.add(workload, "node " + n + " RSS peak", "MiB", rssPeak[n]);
    }
    for (int n = 1; n <= nodes; n++) {
      fullGc(n);
    }
    TimeUnit.SECONDS.sleep(1);
    for (int n = 1; n <= nodes; n++) {
      results.add(workload, "node " + n + " heap used after GC", "MiB", heapMiB(n));
      results.add(workload, "node " + n + " RSS after GC", "MiB", rssMiB(n));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }

  private double heapMiB(int node) {
    try {
      String text = http.send(HttpRequest.newBuilder(URI.create(c.url(node) + "/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1 << 20);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private double rssMiB(int node) {
    try {
      long pid = c.cluster.process(node).pid();
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")))
          .findFirst().orElse(Double.NaN) / 1024;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private void fullGc(int node) {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      new ProcessBuilder(jcmd.toString(), Long.toString(c.cluster.process(node).pid()), "GC.run")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(20,
              TimeUnit.SECONDS);
    } catch (Exception e) {
      // The after-GC figure is then simply the heap as it stands.
    }
  }

  /** A sample that failed (a node too busy to answer /metrics in time) leaves the peak as it was. */
  private static double peak(double peak, double sample) {
    return Double.isNaN(sample) ? peak : Math.max(peak, sample);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
