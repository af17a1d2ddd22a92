package io.cairn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W1, the seed's ingest: N files of uniform random size 5-25 MB, replication 3, encryption on, every
 * chunk fsynced, with 1 and 8 concurrent clients spread over the nodes; then every file read back. In
 * the same run it measures the disk's own limit for the same bytes (three fsynced copies of each file
 * written sequentially to the same file system), so the ratio is Cairn vs. raw disk on this machine.
 */
public final class IngestBench {
  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int[] clients = {1, 8};
    long[] sizes = new long[files];
    SplittableRandom r = new SplittableRandom(7);
    long total = 0;
    for (int i = 0; i < files; i++) {
      sizes[i] = 5_000_000 + r.nextLong(20_000_001);
      total += sizes[i];
    }
    try (BenchCluster c = new BenchCluster(3, "1g", List.of())) {
      double disk = diskBaseline(c.dir, sizes);
      System.out.printf(Locale.ROOT, "ingest: %d files, %.1f MB total; disk baseline (3 fsynced copies): %.0f MB/s of"
          + " client data%n", files, total / 1e6, disk);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int k : clients) {
        String bucket = "bench" + k;
        long t0 = System.nanoTime();
        double[] lat = run(k, files, i -> put(http, c.url(1 + i % 3), bucket, i, sizes[i]));
        double secs = (System.nanoTime() - t0) / 1e9;
        Stats s = new Stats(lat);
        System.out.printf(Locale.ROOT, "ingest W1 clients=%d: %.1f MB/s, %.2f files/s, latency mean %.0f ms p95 %.0f ms;"
            + " %.0f %% of the disk baseline (seed: 0.46 uploads/s)%n", k, total / 1e6 / secs, files / secs,
            s.mean(), s.pct(95), 100 * total / 1e6 / secs / disk);
        long r0 = System.nanoTime();
        run(k, files, i -> get(http, c.url(1 + (i + 1) % 3), bucket, i));
        double rsecs = (System.nanoTime() - r0) / 1e9;
        System.out.printf(Locale.ROOT, "read-back W1 clients=%d: %.1f MB/s%n", k, total / 1e6 / rsecs);
      }
    }
  }

  interface Op {
    void run(int i) throws Exception;
  }

  static double[] run(int clients, int files, Op op) throws Exception {
    double[] lat = new double[files];
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService exec = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < clients; t++) {
        fs.add(exec.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < files; ) {
            long t0 = System.nanoTime();
            op.run(i);
            lat[i] = (System.nanoTime() - t0) / 1e6;
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    return lat;
  }

  static void put(HttpClient http, String base, String bucket, int i, long size) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/files/" + bucket + "/img-" + i + ".png"))
        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
            () -> io.cairn.server.launch.GeneratedContent.stream(i, size)), size)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 201) {
      throw new IOException("upload " + i + " failed: " + resp.statusCode() + " " + resp.body());
    }
  }

  static void get(HttpClient http, String base, String bucket, int i) throws Exception {
    HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(URI.create(
        base + "/api/v1/files/" + bucket + "/img-" + i + ".png")).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    if (resp.statusCode() != 200) {
      throw new IOException("download " + i + " failed: " + resp.statusCode());
    }
  }

  /** MB/s of client data when each file is written three times, fsynced, with no Cairn in between. */
  static double diskBaseline(Path dir, long[] sizes) throws IOException {
    Path f = dir.resolve("baseline.bin");
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    byte[] fill = io.cairn.server.launch.GeneratedContent.stream(1, 1 << 20).readAllBytes();
    buf.put(fill).flip();
    int n = Math.min(sizes.length, 40);
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      for (int copy = 0; copy < 3; copy++) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          for (long left = sizes[i]; left > 0; left -= buf.limit()) {
            buf.rewind();
            buf.limit((int) Math.min(1 << 20, left));
            ch.write(buf);
          }
          ch.force(true);
          buf.limit(1 << 20);
        }
      }
      bytes += sizes[i];
    }
    Files.deleteIfExists(f);
    return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }
}
