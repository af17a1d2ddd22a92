package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir
  Path dir;

  @Test
  void snapshotRoundTripsIntoAnotherDatabase() throws IOException {
    Path snaps = Files.createDirectories(dir.resolve("sm"));
    SnapshotFile.Written w;
    try (MetaDb a = MetaDb.open(dir.resolve("a"))) {
      long i = 0;
      for (int n = 0; n < 50; n++) {
        MetaApplier.apply(a, new MetaOp.PutFile(Fixtures.file("b", "k" + n, "f" + n, 2), false, n),
            new MetaDb.Applied(3, ++i));
      }
      MetaApplier.apply(a, new MetaOp.DeleteFile("b", "k7", 99), new MetaDb.Applied(3, ++i));
      MetaApplier.apply(a, new MetaOp.RegisterNode(Fixtures.node(1)), new MetaDb.Applied(4, ++i));
      w = SnapshotFile.write(a, snaps);
      assertThat(w.applied()).isEqualTo(new MetaDb.Applied(4, 52));
      assertThat(w.file().getFileName().toString()).isEqualTo("snapshot.4_52");
      assertThat(MetaFileMd5.matches(w.file())).isTrue();
    }
    try (MetaDb b = MetaDb.open(dir.resolve("b"))) {
      MetaApplier.apply(b, new MetaOp.CreateBucket("stale", 1), new MetaDb.Applied(1, 1));
      SnapshotFile.load(w.file(), w.applied(), b);
      assertThat(b.lastApplied()).isEqualTo(new MetaDb.Applied(4, 52));
      assertThat(MetaQueries.buckets(b)).containsExactly(new BucketInfo("b", 0, 49, 9800));
      assertThat(MetaQueries.pendingDeletions(b, 10)).extracting(ChunkDeletion::chunkId)
          .containsExactly("f7-0", "f7-1");
      assertThat(MetaQueries.nodes(b)).hasSize(1);
      assertThat(MetaQueries.unreferenced(b, List.of("f8-1", "f7-1"))).containsExactly("f7-1");
    }
  }

  @Test
  void damagedSnapshotIsRefusedAndNotCountedAsLoaded() throws IOException {
    Path snaps = Files.createDirectories(dir.resolve("sm"));
    SnapshotFile.Written w;
    try (MetaDb a = MetaDb.open(dir.resolve("a"))) {
      MetaApplier.apply(a, new MetaOp.CreateBucket("x", 1), new MetaDb.Applied(1, 5));
      w = SnapshotFile.write(a, snaps);
    }
    try (RandomAccessFile f = new RandomAccessFile(w.file().toFile(), "rw")) {
      f.seek(20);
      int b = f.read();
      f.seek(20);
      f.write(b ^ 0x40);
    }
    try (MetaDb b = MetaDb.open(dir.resolve("b"))) {
      assertThatThrownBy(() -> SnapshotFile.load(w.file(), w.applied(), b)).isInstanceOf(IOException.class);
      assertThat(b.lastApplied()).isEqualTo(MetaDb.Applied.NONE);
    }
  }

  /** The MD5 sidecar Ratis uses to ship a snapshot matches the file. */
  static final class MetaFileMd5 {
    static boolean matches(Path file) throws IOException {
      return MD5FileUtil.readStoredMd5ForFile(file.toFile()).equals(MD5FileUtil.computeMd5ForFile(file.toFile()));
    }
  }
}
