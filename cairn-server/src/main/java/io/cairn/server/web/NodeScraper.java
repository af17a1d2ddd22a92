package io.cairn.server.web;

import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads every node's {@code /metrics}, all at once (one virtual thread per node), so a dead or slow
 * node costs one timeout, not one per node. This node's own registry is read in process: same text,
 * no extra request counted against it.
 *
 * <p>A node that does not answer becomes a {@link NodeScrape} with an error; the dashboard shows it as
 * unreachable and sums over the others.
 */
final class NodeScraper {
  /** Seam for tests: the exposition text of one node, or an exception. */
  @FunctionalInterface
  interface Fetch {
    String metricsText(NodeInfo node) throws IOException, InterruptedException;
  }

  /** One node's answer: {@code scrape} is null when it failed, and {@code error} says why. */
  record NodeScrape(NodeInfo node, Scrape scrape, String error) {
    boolean answered() {
      return scrape != null;
    }
  }

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Fetch fetch;

  NodeScraper(Fetch fetch) {
    this.fetch = fetch;
  }

  /** Local registry for {@code selfId}, HTTP for every other node. */
  static NodeScraper of(Metrics local, int selfId) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1).build();
    return new NodeScraper(node -> node.id() == selfId ? localText(local) : remoteText(http, node));
  }

  List<NodeScrape> scrapeAll(List<NodeInfo> nodes) throws InterruptedException {
    List<Future<NodeScrape>> futures = new ArrayList<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (NodeInfo n : nodes) {
        futures.add(exec.submit(() -> scrapeOne(n)));
      }
    } // close() waits for every scrape; each is bounded by TIMEOUT
    List<NodeScrape> out = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        out.add(futures.get(i).get());
      } catch (ExecutionException e) {
        out.add(new NodeScrape(nodes.get(i), null, String.valueOf(e.getCause())));
      }
    }
    return out;
  }

  private NodeScrape scrapeOne(NodeInfo n) throws InterruptedException {
    if (n.state() == NodeState.DECOMMISSIONED) {
      return new NodeScrape(n, null, "decommissioned");
    }
    try {
      return new NodeScrape(n, PromText.parse(fetch.metricsText(n)), null);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new NodeScrape(n, null, why);
    }
  }

  private static String localText(Metrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    metrics.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String remoteText(HttpClient http, NodeInfo node) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.httpAddress() + "/metrics")).timeout(TIMEOUT)
        .header("Accept", "text/plain").GET().build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered HTTP " + r.statusCode());
    }
    return r.body();
  }
}
