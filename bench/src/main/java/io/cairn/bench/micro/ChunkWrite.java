package io.cairn.bench.micro;

import io.cairn.chunk.Checksums;
import io.cairn.chunk.ChunkStoreConfig;
import io.cairn.chunk.FileChunkStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A chunk's durable write: FileChunkStore.putAndSync (temp file, fsync, rename, directory fsync). */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkWrite {
  @Param({"1048576", "65536"})
  public int chunkBytes;

  private Path dir;
  private FileChunkStore store;
  private byte[] data;
  private long crc;
  private long next;

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("cairn-jmh-");
    store = FileChunkStore.open(ChunkStoreConfig.of(dir));
    data = new byte[chunkBytes];
    new SplittableRandom(2).nextBytes(data);
    crc = Checksums.crc32c(data, 0, data.length);
  }

  @Benchmark
  public void putAndSync() {
    store.putAndSync(String.format("chunk-%012d", next++), data, data.length, crc);
  }

  /** Each iteration starts from an empty store so the disk does not fill up across iterations. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    store.close();
    io.cairn.server.launch.LocalCluster.deleteTree(dir);
  }
}
