package io.cairn.chunk;

import static io.cairn.chunk.CairnAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cairn.common.ByteSize;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class FileChunkStoreTest extends ChunkStoreContract {
  @TempDir
  Path tmp;
  private final Map<ChunkStore, Path> roots = new IdentityHashMap<>();

  @Override
  protected ChunkStore newStore(long capacityBytes) {
    Path dir = tmp.resolve("store" + roots.size());
    return open(ChunkStoreConfig.of(dir).withCapacity(ByteSize.ofBytes(capacityBytes)));
  }

  private FileChunkStore open(ChunkStoreConfig config) {
    FileChunkStore s = FileChunkStore.open(config);
    roots.put(s, config.dir());
    return s;
  }

  /** Flips one payload byte on disk, behind the store's back. */
  @Override
  protected void corrupt(ChunkStore s, String chunkId) throws IOException {
    Path f = chunkFile(s, chunkId);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long pos = ChunkFileFormat.HEADER_SIZE + (ch.size() - ChunkFileFormat.HEADER_SIZE) / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, pos);
      b.put(0, (byte) (b.get(0) ^ 0x10));
      ch.write(b.rewind(), pos);
    }
  }

  @Override
  protected void assertKeptInQuarantine(ChunkStore s, String chunkId) throws IOException {
    assertThat(Files.exists(chunkFile(s, chunkId))).isFalse();
    List<String> names = fileNames(root(s).resolve("quarantine"));
    assertThat(names).hasSize(1);
    assertThat(names.get(0)).matches(chunkId + "\\.\\d{8}T\\d{6}\\.\\d{3}Z");
  }

  private Path root(ChunkStore s) {
    return roots.get(s);
  }

  private Path chunkFile(ChunkStore s, String chunkId) {
    return root(s).resolve("chunks").resolve(chunkId.substring(0, 2)).resolve(chunkId);
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private FileChunkStore reopen(ChunkStore s) throws IOException {
    s.close();
    return (FileChunkStore) track(open(ChunkStoreConfig.of(root(s))));
  }

  @Test
  void fileLayoutMatchesTheDocumentedFormat() throws IOException {
    byte[] data = bytes(300);
    put(store, "4f1a-chunk", data);
    byte[] file = Files.readAllBytes(chunkFile(store, "4f1a-chunk"));
    assertThat(file).hasSize(16 + 300);
    ByteBuffer h = ByteBuffer.wrap(file);
    byte[] magic = new byte[4];
    h.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("CRN1");
    assertThat(h.getShort()).isEqualTo((short) 1);
    assertThat(h.getShort()).isZero();
    assertThat(h.getInt()).isEqualTo(300);
    assertThat(Integer.toUnsignedLong(h.getInt())).isEqualTo(Checksums.crc32c(data, 0, data.length));
    assertThat(Arrays.copyOfRange(file, 16, file.length)).isEqualTo(data);
    assertThat(fileNames(root(store).resolve("tmp"))).isEmpty();
  }

  @Test
  void reopenSeesEverythingWritten() throws IOException {
    byte[] a = bytes(1000);
    byte[] b = bytes(2000);
    put(store, "chunk-000a", a);
    put(store, "chunk-000b", b);
    put(store, "other-0001", bytes(5));
    store.delete("other-0001");
    FileChunkStore again = reopen(store);
    assertThat(again.usedBytes()).isEqualTo(3000);
    assertThat(again.list()).extracting(StoredChunk::chunkId).containsExactlyInAnyOrder("chunk-000a", "chunk-000b");
    assertThat(again.read("chunk-000a")).isEqualTo(a);
    assertThat(again.read("chunk-000b")).isEqualTo(b);
  }

  @Test
  void leftoverTempFilesAreRemovedAtOpen() throws IOException {
    put(store, "chunk-0001", bytes(10));
    Path tmpDir = root(store).resolve("tmp");
    Files.write(tmpDir.resolve("chunk-0002.123.tmp"), new byte[100]);
    Files.write(tmpDir.resolve("anything"), new byte[1]);
    FileChunkStore again = reopen(store);
    assertThat(fileNames(tmpDir)).isEmpty();
    assertThat(again.list()).extracting(StoredChunk::chunkId).containsExactly("chunk-0001");
  }

  @Test
  void truncatedFileIsDetectedAndQuarantined() throws IOException {
    put(store, "chunk-0001", bytes(1000));
    try (FileChannel ch = FileChannel.open(chunkFile(store, "chunk-0001"), StandardOpenOption.WRITE)) {
      ch.truncate(500);
    }
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("chunk-0001")).hasMessageContaining("truncated");
    assertKeptInQuarantine(store, "chunk-0001");
    assertThat(store.usedBytes()).isZero();
  }

  @Test
  void quarantineIsLoggedInPlainWords() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(Quarantine.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    logger.setLevel(Level.WARN);
    logger.setAdditive(false);
    try {
      put(store, "4f1a-chunk", bytes(100));
      corrupt(store, "4f1a-chunk");
      assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("4f1a-chunk"));
    } finally {
      logger.detachAppender(events);
      logger.setLevel(null);
      logger.setAdditive(true);
    }
    assertThat(events.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).startsWith("chunk 4f1a-chunk failed its checksum").contains("quarantined");
    });
  }

  @Test
  void fileShorterThanItsHeaderIsDetected() throws IOException {
    put(store, "chunk-0001", bytes(1000));
    Files.write(chunkFile(store, "chunk-0001"), new byte[7]);
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("chunk-0001"));
    assertThat(store.quarantinedCount()).isEqualTo(1);
  }

  @Test
  void badMagicOrVersionIsDetected() throws IOException {
    put(store, "chunk-0001", bytes(100));
    put(store, "chunk-0002", bytes(100));
    patch(chunkFile(store, "chunk-0001"), 0, (byte) 'X');
    patch(chunkFile(store, "chunk-0002"), 5, (byte) 2);
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("chunk-0001")).hasMessageContaining("bad header");
    assertFails(ErrorCode.CHECKSUM_MISMATCH, () -> store.read("chunk-0002")).hasMessageContaining("version 2");
    assertThat(store.quarantinedCount()).isEqualTo(2);
  }

  @Test
  void diskReserveIsEnforced() throws IOException {
    Path dir = tmp.resolve("reserve");
    ChunkStore s = track(open(ChunkStoreConfig.of(dir).withDiskReserve(ByteSize.ofBytes(Long.MAX_VALUE / 2))));
    assertThat(s.freeBytes()).isZero();
    assertFails(ErrorCode.INSUFFICIENT_STORAGE, () -> put(s, "chunk-0001", bytes(10)))
        .hasMessageContaining("reserve");
    assertThat(s.usedBytes()).isZero();
    assertThat(s.contains("chunk-0001")).isFalse();
    assertThat(fileNames(dir.resolve("tmp"))).isEmpty();
  }

  @Test
  void strayFilesInChunkDirectoriesAreIgnored() throws IOException {
    put(store, "chunk-0001", bytes(10));
    Path chunks = root(store).resolve("chunks");
    Files.write(chunks.resolve("ch").resolve("README.txt"), new byte[3]);
    Files.write(chunks.resolve("ch").resolve("xx-not-this-shard"), new byte[3]);
    Files.createDirectories(chunks.resolve("long-shard"));
    Files.write(chunks.resolve("long-shard").resolve("lo-chunk-1"), new byte[30]);
    FileChunkStore again = reopen(store);
    assertThat(again.list()).extracting(StoredChunk::chunkId).containsExactly("chunk-0001");
    assertThat(again.usedBytes()).isEqualTo(10);
  }

  @Test
  void configIsValidated() {
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> ChunkStoreConfig.of(null));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> ChunkStoreConfig.of(tmp).withCapacity(ByteSize.ofBytes(0)));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> ChunkStoreConfig.of(tmp).withCapacity(null));
    assertFails(ErrorCode.INVALID_ARGUMENT, () -> ChunkStoreConfig.of(tmp).withDiskReserve(null));
    ChunkStoreConfig c = ChunkStoreConfig.of(tmp.resolve("a/../b"));
    assertThat(c.dir()).isEqualTo(tmp.resolve("b").toAbsolutePath());
    assertThat(c.capacity()).isEqualTo(ChunkStoreConfig.DEFAULT_CAPACITY);
    assertThat(c.diskReserve()).isEqualTo(ByteSize.ofMiB(64));
  }

  @Test
  void openFailsWithInternalWhenTheDirectoryIsAFile() throws IOException {
    Path file = Files.write(tmp.resolve("not-a-dir"), new byte[1]);
    assertFails(ErrorCode.INTERNAL, () -> FileChunkStore.open(ChunkStoreConfig.of(file)))
        .hasMessageContaining(file.toString());
  }

  private static void patch(Path f, long pos, byte value) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {value}), pos);
    }
  }

  @Test
  void anIoErrorOnTheDataDirStopsNewChunksButKeepsServingReads() throws IOException {
    Path dir = tmp.resolve("failing");
    FileChunkStore s = open(ChunkStoreConfig.of(dir));
    byte[] a = "first chunk".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    s.putAndSync("chunk-aaa", a, a.length, Checksums.crc32c(a, 0, a.length));
    // Break the directory under the store: its temp dir becomes a plain file, so the next write fails.
    Path tmpDir = dir.resolve("tmp");
    try (var files = Files.list(tmpDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(tmpDir);
    Files.writeString(tmpDir, "not a directory");
    byte[] b = "second chunk".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long crcB = Checksums.crc32c(b, 0, b.length);
    assertThatThrownBy(() -> s.putAndSync("chunk-bbb", b, b.length, crcB)).isInstanceOf(CairnException.class);
    assertThat(s.failure()).isPresent();
    assertThat(s.freeBytes()).isZero();
    assertThatThrownBy(() -> s.putAndSync("chunk-ccc", b, b.length, crcB))
        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(s.read("chunk-aaa")).isEqualTo(a);
  }
}
