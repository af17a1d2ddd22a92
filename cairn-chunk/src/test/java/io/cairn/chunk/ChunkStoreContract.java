package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link ChunkStore} must do; one subclass per implementation. */
abstract class ChunkStoreContract {
  static final long LARGE = 1L << 40;
  private final Random random = new Random(42);
  private final List<ChunkStore> opened = new ArrayList<>();
  protected ChunkStore store;

  /** A fresh, empty store accepting at most {@code capacityBytes} of blobs. */
  protected abstract ChunkStore newStore(long capacityBytes);

  /** Damages the stored blob of {@code chunkId} in {@code s} the way a failing disk would. */
  protected abstract void corrupt(ChunkStore s, String chunkId) throws Exception;

  /** Checks that the corrupt blob was kept somewhere for inspection; nothing to check by default. */
  protected void assertKeptInQuarantine(ChunkStore s, String chunkId) throws Exception {}

  @BeforeEach
  void openStore() {
    store = track(newStore(LARGE));
  }

  @AfterEach
  void closeStores() throws Exception {
    for (ChunkStore s : opened) {
      s.close();
    }
  }

  protected ChunkStore track(ChunkStore s) {
    opened.add(s);
    return s;
  }

  protected byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  protected static void put(ChunkStore s, String id, byte[] data) {
    s.putAndSync(id, data, data.length, Checksums.crc32c(data, 0, data.length));
  }

  @Test
  void roundTrip() {
    byte[] data = bytes(10_000);
    put(store, "chunk-0001", data);
    assertThat(store.contains("chunk-0001")).isTrue();
    assertThat(store.read("chunk-0001")).isEqualTo(data);
    put(store, "empty-chunk", new byte[0]);
    assertThat(store.read("empty-chunk")).isEmpty();
  }

  @Test
  void storesOnlyTheGivenLength() {
    byte[] data = bytes(100);
    store.putAndSync("chunk-0001", data, 40, Checksums.crc32c(data, 0, 40));
    assertThat(store.read("chunk-0001")).hasSize(40).isEqualTo(Arrays.copyOf(data, 40));
    assertThat(store.usedBytes()).isEqualTo(40);
  }

  @Test
  void putIsIdempotent() {
    byte[] data = bytes(500);
    put(store, "chunk-0001", data);
    put(store, "chunk-0001", data.clone());
    assertThat(store.usedBytes()).isEqualTo(500);
    assertThat(store.list()).hasSize(1);
    assertThat(store.read("chunk-0001")).isEqualTo(data);
  }

  @Test
  void otherContentUnderAnExistingIdIsRefusedAndTheStoredBlobKept() {
    byte[] data = bytes(500);
    put(store, "chunk-0001", data);
    assertFails(ErrorCode.ALREADY_EXISTS, () -> put(store, "chunk-0001", bytes(500)));
    assertThat(store.read("chunk-0001")).isEqualTo(data);
    assertThat(store.usedBytes()).isEqualTo(500);
  }

  @Test
  void wrongCrcIsRefusedAndNothingWritten() {
    byte[] data = bytes(500);
    long wrong = Checksums.crc32c(data, 0, data.length) ^ 1;
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.putAndSync("chunk-0001", data, data.length, wrong));
    assertThat(store.contains("chunk-0001")).isFalse();
    assertThat(store.usedBytes()).isZero();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void lengthOutsideTheArrayIsRefused() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.putAndSync("chunk-0001", new byte[4], 5, 0));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.putAndSync("chunk-0001", new byte[4], -1, 0));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.putAndSync("chunk-0001", null, 0, 0));
  }

  @Test
  void capacityIsEnforcedAndNothingWrittenWhenFull() {
    ChunkStore small = track(newStore(100));
    put(small, "chunk-0001", bytes(60));
    assertFails(ErrorCode.INSUFFICIENT_STORAGE, () -> put(small, "chunk-0002", bytes(60)))
        .hasMessageContaining("chunk-0002");
    assertThat(small.contains("chunk-0002")).isFalse();
    assertThat(small.usedBytes()).isEqualTo(60);
    assertThat(small.freeBytes()).isEqualTo(40);
    put(small, "chunk-0003", bytes(40));
    assertThat(small.freeBytes()).isZero();
    assertThat(small.delete("chunk-0001")).isTrue();
    put(small, "chunk-0002", bytes(60));
    assertThat(small.usedBytes()).isEqualTo(100);
  }

  @Test
  void idempotentPutNeedsNoFreeSpace() {
    ChunkStore small = track(newStore(100));
    byte[] data = bytes(100);
    put(small, "chunk-0001", data);
    put(small, "chunk-0001", data);
    assertThat(small.usedBytes()).isEqualTo(100);
  }

  @Test
  void corruptBlobIsQuarantinedAndReportedAsChecksumMismatch() throws Exception {
    byte[] data = bytes(1000);
    put(store, "chunk-0001", data);
    put(store, "chunk-0002", bytes(10));
    corrupt(store, "chunk-0001");

    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("chunk-0001")).hasMessageContaining("chunk-0001");
    assertThat(store.quarantinedCount()).isEqualTo(1);
    assertThat(store.contains("chunk-0001")).isFalse();
    assertThat(store.list()).extracting(StoredChunk::chunkId).containsExactly("chunk-0002");
    assertThat(store.usedBytes()).isEqualTo(10);
    assertKeptInQuarantine(store, "chunk-0001");
    assertFails(ErrorCode.NOT_FOUND, () -> store.read("chunk-0001"));

    put(store, "chunk-0001", data); // healed from another replica
    assertThat(store.read("chunk-0001")).isEqualTo(data);
  }

  @Test
  void putOverACorruptBlobQuarantinesItAndHeals() throws Exception {
    byte[] data = bytes(1000);
    put(store, "chunk-0001", data);
    corrupt(store, "chunk-0001");
    put(store, "chunk-0001", data);
    assertThat(store.quarantinedCount()).isEqualTo(1);
    assertThat(store.read("chunk-0001")).isEqualTo(data);
    assertThat(store.usedBytes()).isEqualTo(1000);
  }

  @Test
  void deleteAndMissingChunks() {
    put(store, "chunk-0001", bytes(300));
    assertThat(store.delete("chunk-0001")).isTrue();
    assertThat(store.delete("chunk-0001")).isFalse();
    assertThat(store.contains("chunk-0001")).isFalse();
    assertFails(ErrorCode.NOT_FOUND, () -> store.read("chunk-0001"));
    assertThat(store.usedBytes()).isZero();
    assertFails(ErrorCode.NOT_FOUND, () -> store.read("never-stored"));
  }

  @Test
  void listShowsEveryChunkWithItsLength() {
    put(store, "aa-chunk-1", bytes(1));
    put(store, "aa-chunk-2", bytes(2));
    put(store, "zz_chunk-3", bytes(3));
    assertThat(store.list())
        .extracting(StoredChunk::chunkId, StoredChunk::length)
        .containsExactlyInAnyOrder(tuple("aa-chunk-1", 1L), tuple("aa-chunk-2", 2L), tuple("zz_chunk-3", 3L));
    assertThat(store.list()).allSatisfy(c -> assertThat(c.modifiedMillis()).isPositive());
  }

  @Test
  void usedAndFreeBytesFollowPutsAndDeletes() {
    ChunkStore s = track(newStore(1000));
    assertThat(s.usedBytes()).isZero();
    assertThat(s.freeBytes()).isEqualTo(1000);
    put(s, "chunk-0001", bytes(300));
    put(s, "chunk-0002", bytes(200));
    assertThat(s.usedBytes()).isEqualTo(500);
    assertThat(s.freeBytes()).isEqualTo(500);
    s.delete("chunk-0001");
    assertThat(s.usedBytes()).isEqualTo(200);
    assertThat(s.freeBytes()).isEqualTo(800);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "short", "abc/defgh", "../../../../etc/passwd", "..abcdefgh", "abcdefg.h",
      "abcd efgh", "abcdefgh\u0000", "\u00e4bcdefgh", "abcdefgh\n",
      "a0123456789012345678901234567890123456789012345678901234567890123"})
  void badIdsAreRefused(String id) {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> put(store, id, bytes(10)));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.read(id));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.contains(id));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.delete(id));
    assertThat(store.list()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abcdefgh", "--______", "ABCxyz09-_",
      "a123456789012345678901234567890123456789012345678901234567890123"})
  void idsOfAllowedCharactersAndLengthsAreAccepted(String id) {
    put(store, id, bytes(10));
    assertThat(store.contains(id)).isTrue();
  }

  @Test
  void concurrentPutsOfDifferentIdsFromVirtualThreads() throws Exception {
    int n = 48;
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(bytes(4096));
    }
    inVirtualThreads(n, k -> () -> {
      put(store, String.format("c%02d-chunk", k), data.get(k));
      return null;
    });
    assertThat(store.list()).hasSize(n);
    assertThat(store.usedBytes()).isEqualTo(n * 4096L);
    for (int i = 0; i < n; i++) {
      assertThat(store.read(String.format("c%02d-chunk", i))).isEqualTo(data.get(i));
    }
  }

  @Test
  void concurrentPutsOfTheSameChunkAllSucceedAndCountOnce() throws Exception {
    byte[] data = bytes(4096);
    inVirtualThreads(8, k -> () -> {
      put(store, "same-chunk", data);
      return null;
    });
    assertThat(store.usedBytes()).isEqualTo(4096);
    assertThat(store.read("same-chunk")).isEqualTo(data);
  }

  @Test
  void concurrentPutsNeverOvershootCapacity() throws Exception {
    ChunkStore small = track(newStore(10 * 1000));
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      data.add(bytes(1000));
    }
    List<Boolean> stored = inVirtualThreads(20, k -> () -> {
      try {
        put(small, String.format("c%02d-chunk", k), data.get(k));
        return true;
      } catch (CairnException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
        return false;
      }
    });
    assertThat(stored).filteredOn(ok -> ok).hasSize(10);
    assertThat(small.usedBytes()).isEqualTo(10_000);
    assertThat(small.list()).hasSize(10);
  }

  /** Runs {@code n} tasks, one virtual thread each, and returns their results in task order. */
  private static <T> List<T> inVirtualThreads(int n, IntFunction<Callable<T>> task) throws Exception {
    List<Future<T>> futures = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        futures.add(ex.submit(task.apply(i)));
      }
    }
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get());
    }
    return results;
  }
}
