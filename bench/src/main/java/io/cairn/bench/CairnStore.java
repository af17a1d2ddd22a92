package io.cairn.bench;

import io.cairn.bench.core.Content;
import io.cairn.bench.core.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Cairn through its REST API ({@code PUT/GET /api/v1/files/{bucket}/{key}}), each file sent to one node
 * chosen by its seed so every gateway takes load. Names are {@code bucket/key}.
 */
final class CairnStore implements Store {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final BenchCluster c;
  private final int nodes;

  CairnStore(BenchCluster c, int nodes) {
    this.c = c;
    this.nodes = nodes;
  }

  private URI uri(String name, long seed) {
    return URI.create(c.url(1 + (int) Math.floorMod(seed, (long) nodes)) + "/api/v1/files/" + name);
  }

  @Override
  public void write(String name, long size, long seed) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri(name, seed)).PUT(HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> Content.stream(seed, size)), size)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 201) {
      throw new IOException("upload " + name + " failed: " + resp.statusCode() + " " + resp.body());
    }
  }

  @Override
  public long read(String name) throws Exception {
    // A different node than the writer's, so reads are not served from the writer's cache alone.
    HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(uri(name, name.hashCode())).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      long n = in.transferTo(OutputStream.nullOutputStream());
      if (resp.statusCode() != 200) {
        throw new IOException("download " + name + " failed: " + resp.statusCode());
      }
      return n;
    }
  }
}
