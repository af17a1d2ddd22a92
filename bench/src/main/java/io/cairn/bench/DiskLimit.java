package io.cairn.bench;

import io.cairn.bench.core.Content;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The limit: the disk's durable sequential write bandwidth, measured in the file system the clusters use
 * (java.io.tmpdir, or limit.dir): write limit.mb in 1 MiB writes, then fsync. A 3-replica store on one
 * disk writes every byte three times, so limit ÷ 3 is the best ingest any of them can reach here. Also
 * fsynced 64 KiB writes per second, the ceiling for small files without group commit.
 */
final class DiskLimit implements Workload {
  static final String SEQUENTIAL = "durable sequential write";
  static final String PER_REPLICA = "limit for 3 replicas (sequential / 3)";

  @Override
  public String name() {
    return "limit";
  }

  @Override
  public String description() {
    return "the disk's durable sequential write MB/s (write + fsync) and fsynced 64 KiB writes/s";
  }

  @Override
  public void run(BenchEnv env, Results results) throws IOException {
    int mb = env.intSetting("limit.mb", 1536, 64);
    int smallWrites = env.intSetting("limit.small", 2000, 200);
    Path dir = Files.createTempDirectory(Path.of(env.setting("limit.dir", System.getProperty("java.io.tmpdir"),
        System.getProperty("java.io.tmpdir"))), "cairn-limit-");
    try {
      for (int pass = 1; pass <= env.passes; pass++) {
        double seq = sequential(dir.resolve("seq.bin"), (long) mb << 20);
        results.add(name(), SEQUENTIAL, "MB/s", seq);
        results.add(name(), PER_REPLICA, "MB/s", seq / 3);
        results.add(name(), "fsynced 64 KiB writes", "ops/s", smallFsyncs(dir.resolve("small.bin"), smallWrites));
      }
    } finally {
      io.cairn.server.launch.LocalCluster.deleteTree(dir);
    }
  }

  /** MB/s for writing {@code bytes} sequentially and fsyncing once at the end. */
  private static double sequential(Path file, long bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).put(Content.bytes(1, 1 << 20)).flip();
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < bytes; done += 1 << 20) {
        buf.rewind();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Files.delete(file);
    return bytes / 1e6 / secs;
  }

  /** Appends of 64 KiB, each followed by fdatasync: what one small file per fsync can reach. */
  private static double smallFsyncs(Path file, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(64 << 10).put(Content.bytes(2, 64 << 10)).flip();
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < n; i++) {
        buf.rewind();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Files.delete(file);
    return n / secs;
  }
}
