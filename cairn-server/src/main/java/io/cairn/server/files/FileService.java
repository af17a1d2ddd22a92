package io.cairn.server.files;

import io.cairn.common.ClusterView;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The data path every front door (REST, seed form routes, web UI, S3, CLI through REST) goes through.
 *
 * <p><b>Durability.</b> When {@link #put} returns, every chunk is fsynced on the required number of
 * replicas and the file record is committed through Raft: the file survives the loss of any minority
 * of nodes. Until then no reader can see the new file.
 *
 * <p><b>Errors.</b> {@link io.cairn.common.CairnException}: INVALID_ARGUMENT, NO_SUCH_KEY,
 * NO_SUCH_BUCKET, ALREADY_EXISTS, INSUFFICIENT_REPLICAS (retryable), NO_LEADER (retryable), ...
 *
 * <p><b>Threads.</b> Safe for concurrent use; blocking (call from virtual threads).
 */
public interface FileService {

  /**
   * Streams {@code body} into a new file at bucket/key, replacing any existing one atomically unless
   * {@code ifAbsent} (then ALREADY_EXISTS if a file is there).
   */
  FileRecord put(PutRequest request, InputStream body);

  /** The current record of bucket/key; NO_SUCH_KEY when absent. */
  FileRecord stat(String bucket, String key);

  /**
   * Writes plaintext bytes {@code [first, last]} (inclusive) of {@code file} to {@code out}, reading only
   * the chunks that range touches.
   */
  void read(FileRecord file, long first, long last, OutputStream out);

  /** Deletes bucket/key; false when it did not exist. */
  boolean delete(String bucket, String key);

  /** Lists or searches a bucket. */
  ListPage list(ListQuery query);

  /** Bucket names in order. */
  List<String> buckets();

  /** Creates an empty bucket; false when it already exists. */
  boolean createBucket(String bucket);

  /** Deletes an empty bucket; NO_SUCH_BUCKET when absent, BUCKET_NOT_EMPTY when it holds files. */
  void deleteBucket(String bucket);

  /** Leader, term and nodes with their state. */
  ClusterView cluster();

  /** What a put needs besides the bytes. */
  record PutRequest(String bucket, String key, String contentType, Map<String, String> userMeta,
      boolean ifAbsent) {
    public PutRequest {
      userMeta = userMeta == null ? Map.of() : Map.copyOf(userMeta);
      contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }
  }
}
