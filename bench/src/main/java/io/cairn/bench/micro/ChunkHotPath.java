package io.cairn.bench.micro;

import io.cairn.chunk.Checksums;
import io.cairn.chunk.ChunkCipher;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU part of a chunk's write path: AES-256-GCM seal of a chunk, then CRC32C of the sealed bytes, and
 * the CRC32C alone. The long warm-up is needed: on a busy 2-core machine C2 took about 30 s to compile the
 * JDK's GCM code (until then it runs at 15-50 MB/s; see docs/PERFORMANCE.md).
 */
@State(Scope.Thread)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkHotPath {
  @Param("1048576")
  public int chunkBytes;

  private final ChunkCipher cipher = new ChunkCipher();
  private byte[] key;
  private byte[] plain;
  private byte[] sealed;

  @Setup
  public void setUp() {
    // As a node does at start: until C2 compiles the JDK's GCM code (seconds, longer on a busy machine) AES-GCM
    // runs at tens of MB/s, and a short warm-up would measure that instead of the AES-NI/CLMUL intrinsics.
    ChunkCipher.warmUp();
    SplittableRandom r = new SplittableRandom(1);
    key = new byte[32];
    r.nextBytes(key);
    plain = new byte[chunkBytes];
    r.nextBytes(plain);
    sealed = cipher.seal(key, "bench-file", 0, plain, 0, plain.length);
  }

  @Benchmark
  public long encryptAndChecksum() {
    byte[] s = cipher.seal(key, "bench-file", 0, plain, 0, plain.length);
    return Checksums.crc32c(s, 0, s.length);
  }

  @Benchmark
  public long checksum() {
    return Checksums.crc32c(sealed, 0, sealed.length);
  }
}
