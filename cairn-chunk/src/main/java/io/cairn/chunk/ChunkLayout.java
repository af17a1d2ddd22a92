package io.cairn.chunk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things live under a chunk store's root: {@code chunks/<first two chars of id>/<id>},
 * {@code tmp/} for writes in progress, {@code quarantine/} for corrupt files. Two-character shards keep
 * directories small enough to list quickly at millions of chunks.
 */
record ChunkLayout(Path root, Path chunks, Path tmp, Path quarantine) {
  static ChunkLayout under(Path root) {
    return new ChunkLayout(root, root.resolve("chunks"), root.resolve("tmp"), root.resolve("quarantine"));
  }

  /** Creates the directories and makes them, and every existing shard directory, durable. */
  void create() throws IOException {
    for (Path d : List.of(root, chunks, tmp, quarantine)) {
      Files.createDirectories(d);
    }
    DurableFiles.fsyncDir(root);
    DurableFiles.fsyncDir(chunks);
  }

  /** Callers validate the id first; a valid id cannot leave {@link #chunks}. */
  Path pathOf(String chunkId) {
    return chunks.resolve(chunkId.substring(0, 2)).resolve(chunkId);
  }

  /** Deletes everything in tmp/: at open, any file there is a write a crash interrupted. */
  int cleanTmp() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path f : files) {
        if (Files.deleteIfExists(f)) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Every regular file in a shard directory whose name is a valid id belonging to that shard; anything
   * else (an operator's notes, a stray copy) is ignored rather than served.
   */
  List<StoredChunk> scan() throws IOException {
    List<StoredChunk> out = new ArrayList<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(chunks, Files::isDirectory)) {
      for (Path shard : shards) {
        scanShard(shard, out);
      }
    }
    return out;
  }

  private static void scanShard(Path shard, List<StoredChunk> out) throws IOException {
    String prefix = shard.getFileName().toString();
    if (prefix.length() != 2) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
      for (Path f : files) {
        String id = f.getFileName().toString();
        if (!ChunkIds.isValid(id) || !id.startsWith(prefix)) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            out.add(new StoredChunk(id, ChunkFileFormat.payloadSize(a.size()), a.lastModifiedTime().toMillis()));
          }
        } catch (NoSuchFileException e) {
          // Deleted or quarantined while we walked: simply not listed.
        }
      }
    } catch (NoSuchFileException e) {
      // The shard vanished while we walked: nothing to list in it.
    }
  }
}
