package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ChunkRef;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Answers {@link MetaOp.Query}s from a {@link MetaDb}'s applied state. */
final class MetaQueries {
  private MetaQueries() {}

  static MetaResult run(MetaDb db, MetaOp.Query q) {
    try {
      return switch (q) {
        case MetaOp.GetFile g -> new MetaResult.FileResult(db.get(Keys.file(g.bucket(), g.key()), FileRecord.class));
        case MetaOp.ListFiles l -> new MetaResult.Page(list(db, l.query()));
        case MetaOp.Buckets b -> new MetaResult.BucketList(buckets(db));
        case MetaOp.Nodes n -> new MetaResult.NodeList(nodes(db));
        case MetaOp.PendingDeletions p -> new MetaResult.Deletions(pendingDeletions(db, p.limit()));
        case MetaOp.Unreferenced u -> new MetaResult.ChunkIds(unreferenced(db, u.chunkIds()));
        case MetaOp.Locate l -> new MetaResult.Locations(locate(db, l.chunkIds()));
        case MetaOp.GetUser u -> new MetaResult.User(db.get(Keys.user(u.name()), UserAccount.class));
        case MetaOp.Users u -> new MetaResult.UserList(AccountApplier.users(db));
        case MetaOp.GetToken t -> new MetaResult.Token(db.get(Keys.token(t.id()), ApiToken.class));
        case MetaOp.GetAccessKey k -> new MetaResult.Key(db.get(Keys.accessKey(k.id()), AccessKey.class));
        case MetaOp.GetCredentials c -> new MetaResult.CredentialList(AccountApplier.tokens(db, c.user()),
            AccountApplier.accessKeys(db, c.user()));
        case MetaOp.GetBucket b -> new MetaResult.Bucket(db.get(Keys.bucket(b.name()), BucketInfo.class));
      };
    } catch (CairnException e) {
      if (e.retryable()) {
        throw e;
      }
      return MetaResult.failure(e);
    }
  }

  static ListPage list(MetaDb db, ListQuery q) {
    if (db.get(Keys.bucket(q.bucket())) == null) {
      throw new CairnException(ErrorCode.NO_SUCH_BUCKET, "no bucket " + q.bucket());
    }
    int bucketLen = Keys.filePrefix(q.bucket(), "").length;
    byte[] prefix = Keys.filePrefix(q.bucket(), q.prefix());
    byte[] seek = prefix;
    byte[] after = null;
    if (q.cursor() != null) {
      byte[] cursor = Keys.file(q.bucket(), q.cursor());
      if (Arrays.compareUnsigned(cursor, prefix) >= 0) {
        seek = cursor;
        after = cursor;
      }
    }
    String needle = q.contains().toLowerCase(Locale.ROOT);
    List<FileSummary> out = new ArrayList<>();
    boolean[] more = {false};
    byte[] skip = after;
    db.scan(seek, prefix, (k, v) -> {
      if (skip != null && Arrays.equals(k, skip)) {
        return true;
      }
      String key = Keys.fileKey(k, bucketLen);
      if (!needle.isEmpty() && !key.toLowerCase(Locale.ROOT).contains(needle)) {
        return true;
      }
      if (out.size() == q.limit()) {
        more[0] = true;
        return false;
      }
      out.add(FileSummary.of(MetaCodec.value(v, FileRecord.class)));
      return true;
    });
    String next = more[0] ? out.get(out.size() - 1).key() : null;
    return new ListPage(out, next);
  }

  static List<BucketInfo> buckets(MetaDb db) {
    return all(db, Keys.BUCKET, BucketInfo.class);
  }

  static List<NodeInfo> nodes(MetaDb db) {
    return all(db, Keys.NODE, NodeInfo.class);
  }

  /** Every record of one kind ({@link Keys} tag), in key order. For the small kinds only. */
  static <T> List<T> all(MetaDb db, byte tag, Class<T> type) {
    List<T> out = new ArrayList<>();
    byte[] p = Keys.prefix(tag);
    db.scan(p, p, (k, v) -> out.add(MetaCodec.value(v, type)));
    return out;
  }

  static List<ChunkDeletion> pendingDeletions(MetaDb db, int limit) {
    int max = Math.clamp(limit, 1, ListQuery.MAX_LIMIT);
    List<ChunkDeletion> out = new ArrayList<>();
    byte[] p = Keys.prefix(Keys.DELETION);
    db.scan(p, p, (k, v) -> {
      out.add(MetaCodec.value(v, ChunkDeletion.class));
      return out.size() < max;
    });
    return out;
  }

  static List<ChunkLocation> locate(MetaDb db, List<String> chunkIds) {
    List<ChunkLocation> out = new ArrayList<>();
    for (String id : new LinkedHashSet<>(chunkIds)) {
      byte[] owner = db.get(Keys.chunk(id));
      if (owner == null) {
        continue;
      }
      String[] parts = Keys.rest(owner, 0).split("\0", 3);
      FileRecord file = db.get(Keys.file(parts[0], parts[1]), FileRecord.class);
      if (file == null || !file.fileId().equals(parts[2])) {
        continue;
      }
      for (ChunkRef c : file.chunks()) {
        if (c.chunkId().equals(id)) {
          out.add(new ChunkLocation(file.bucket(), file.key(), file.fileId(), c));
        }
      }
    }
    return out;
  }

  /** Files of every bucket in key order, after {@code cursor} (a "bucket\0key" string) when given. */
  static FileScan scanFiles(MetaDb db, String cursor, int limit) {
    int max = Math.clamp(limit, 1, ListQuery.MAX_LIMIT);
    byte[] prefix = Keys.prefix(Keys.FILE);
    byte[] after = cursor == null ? null : Keys.key(Keys.FILE, cursor);
    byte[] seek = after == null ? prefix : after;
    List<FileRecord> out = new ArrayList<>();
    boolean[] more = {false};
    db.scan(seek, prefix, (k, v) -> {
      if (after != null && Arrays.equals(k, after)) {
        return true;
      }
      if (out.size() == max) {
        more[0] = true;
        return false;
      }
      out.add(MetaCodec.value(v, FileRecord.class));
      return true;
    });
    String next = null;
    if (more[0]) {
      FileRecord last = out.get(out.size() - 1);
      next = last.bucket() + '\0' + last.key();
    }
    return new FileScan(out, next);
  }

  static List<String> unreferenced(MetaDb db, List<String> chunkIds) {
    List<String> out = new ArrayList<>();
    for (String id : new LinkedHashSet<>(chunkIds)) {
      if (db.get(Keys.chunk(id)) == null) {
        out.add(id);
      }
    }
    return out;
  }
}
