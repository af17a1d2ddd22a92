package io.cairn.meta;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RocksDB keyspace. One tag byte per kind of record keeps everything in the default column family,
 * so a snapshot is a single ordered scan and "clear everything" is one range delete. Bucket names never
 * contain NUL and keys never contain control characters (see io.cairn.common.Names), so NUL separates
 * the parts of composite keys and byte order equals (bucket, key) order.
 */
final class Keys {
  /** access key id -> AccessKey JSON (secret sealed). */
  static final byte ACCESS_KEY = 'A';
  /** bucket name -> BucketInfo JSON. */
  static final byte BUCKET = 'B';
  /** chunkId -> "bucket\0key\0fileId" of the one file that references it. */
  static final byte CHUNK = 'C';
  /** seq (log index, ordinal; 12 bytes big-endian) -> ChunkDeletion JSON: the deletion queue. */
  static final byte DELETION = 'D';
  /** chunkId -> seq of its deletion queue entry, to complete a deletion by chunk id. */
  static final byte DELETION_BY_CHUNK = 'E';
  /** bucket \0 key -> FileRecord JSON. */
  static final byte FILE = 'F';
  /** fixed names -> bookkeeping (lastApplied). */
  static final byte META = 'M';
  /** node id (4 bytes big-endian) -> NodeInfo JSON. */
  static final byte NODE = 'N';
  /** token id -> ApiToken JSON (secret hashed). */
  static final byte TOKEN = 'T';
  /** user name -> UserAccount JSON (password hashed). */
  static final byte USER = 'U';

  static final byte[] LAST_APPLIED = key(META, "lastApplied");
  /** Every key sorts in [ALL_FROM, ALL_TO). */
  static final byte[] ALL_FROM = {0};
  static final byte[] ALL_TO = {(byte) 0xff};

  private Keys() {}

  static byte[] key(byte tag, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] k = new byte[b.length + 1];
    k[0] = tag;
    System.arraycopy(b, 0, k, 1, b.length);
    return k;
  }

  static byte[] bucket(String bucket) {
    return key(BUCKET, bucket);
  }

  static byte[] file(String bucket, String key) {
    return key(FILE, bucket + '\0' + key);
  }

  /** Prefix of every file key in {@code bucket} whose key starts with {@code keyPrefix}. */
  static byte[] filePrefix(String bucket, String keyPrefix) {
    return file(bucket, keyPrefix);
  }

  static byte[] chunk(String chunkId) {
    return key(CHUNK, chunkId);
  }

  static byte[] deletionByChunk(String chunkId) {
    return key(DELETION_BY_CHUNK, chunkId);
  }

  static byte[] deletion(long index, int ordinal) {
    return ByteBuffer.allocate(13).put(DELETION).putLong(index).putInt(ordinal).array();
  }

  static byte[] user(String name) {
    return key(USER, name);
  }

  static byte[] token(String id) {
    return key(TOKEN, id);
  }

  static byte[] accessKey(String id) {
    return key(ACCESS_KEY, id);
  }

  static byte[] node(int id) {
    return ByteBuffer.allocate(5).put(NODE).putInt(id).array();
  }

  static String rest(byte[] key, int skip) {
    return new String(key, skip, key.length - skip, StandardCharsets.UTF_8);
  }

  /** The object key of a file key whose bucket prefix is {@code bucketPrefixLen} bytes long. */
  static String fileKey(byte[] key, int bucketPrefixLen) {
    return rest(key, bucketPrefixLen);
  }

  static String owner(String bucket, String key, String fileId) {
    return bucket + '\0' + key + '\0' + fileId;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] prefix(byte tag) {
    return new byte[] {tag};
  }
}
