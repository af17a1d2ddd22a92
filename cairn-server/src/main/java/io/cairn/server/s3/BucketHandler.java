package io.cairn.server.s3;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileSummary;
import io.cairn.common.ListQuery;
import io.cairn.common.Names;
import io.cairn.server.files.FileService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListObjects and ListObjectsV2. */
final class BucketHandler {
  /** Holds multipart parts; '_' makes it an invalid S3 bucket name, so no S3 client can create or reach it. */
  static final String HIDDEN = "cairn_multipart";
  static final String OWNER_ID = "cairn";

  private final FileService files;
  private final S3Config config;

  BucketHandler(FileService files, S3Config config) {
    this.files = files;
    this.config = config;
  }

  /** Whether the bucket exists (a hidden or malformed name never does). */
  boolean exists(String bucket) {
    if (bucket == null || bucket.equals(HIDDEN)) {
      return false;
    }
    try {
      Names.checkBucket(bucket);
      files.list(new ListQuery(bucket, "", "", 1, null));
      return true;
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NO_SUCH_BUCKET || e.code() == ErrorCode.INVALID_ARGUMENT) {
        return false;
      }
      throw e;
    }
  }

  /** The bucket of the request, which must exist. */
  String require(S3Call c) {
    if (!exists(c.bucket)) {
      throw S3Exception.noSuchBucket(c.bucket);
    }
    return c.bucket;
  }

  void listBuckets(S3Call c) {
    S3Xml x = S3Xml.root("ListAllMyBucketsResult");
    x.start("Owner").elem("ID", OWNER_ID).elem("DisplayName", OWNER_ID).end();
    x.start("Buckets");
    for (String b : files.buckets()) {
      if (!b.equals(HIDDEN) && c.visibleBucket.test(b)) {
        x.start("Bucket").elem("Name", b).elem("CreationDate", S3Xml.isoTime(0)).end();
      }
    }
    x.end();
    c.xml(200, x.finish());
  }

  void create(S3Call c) {
    checkS3Name(c.bucket);
    Bodies.drain(c);
    if (!(c.bucketCreator != null ? c.bucketCreator.test(c.bucket) : files.createBucket(c.bucket))) {
      throw new S3Exception(409, "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    c.header("Location", "/" + c.bucket);
    c.empty(200);
  }

  void head(S3Call c) {
    require(c);
    c.header("x-amz-bucket-region", config.region());
    c.empty(200);
  }

  void delete(S3Call c) {
    require(c);
    files.deleteBucket(c.bucket);
    c.empty(204);
  }

  void location(S3Call c) {
    require(c);
    String region = config.region().equals("us-east-1") ? null : config.region();
    S3Xml x = S3Xml.root("LocationConstraint");
    c.xml(200, region == null ? x.finish().replace("></LocationConstraint>", "/>") : x.finish()
        .replace("</LocationConstraint>", S3Xml.escape(region) + "</LocationConstraint>"));
  }

  void listObjects(S3Call c, boolean v2) {
    require(c);
    String prefix = c.q("prefix") == null ? "" : c.q("prefix");
    String delimiter = c.q("delimiter");
    boolean url = "url".equals(c.q("encoding-type"));
    if (c.q("encoding-type") != null && !url) {
      throw S3Exception.invalidArgument("Invalid Encoding Method specified in Request");
    }
    int maxKeys = 1000;
    if (c.q("max-keys") != null) {
      try {
        maxKeys = Integer.parseInt(c.q("max-keys").trim());
      } catch (NumberFormatException e) {
        throw S3Exception.invalidArgument("Provided max-keys not an integer or within integer range");
      }
      if (maxKeys < 0) {
        throw S3Exception.invalidArgument("max-keys must not be negative");
      }
      maxKeys = Math.min(maxKeys, 1000);
    }
    String start;
    String token = c.q("continuation-token");
    String startAfter = c.q("start-after");
    if (v2) {
      if (token != null) {
        try {
          start = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw S3Exception.invalidArgument("The continuation token provided is incorrect");
        }
      } else {
        start = startAfter;
      }
    } else {
      start = c.q("marker");
    }
    Listing.Result r = Listing.list(files::list, c.bucket, prefix, delimiter, start, maxKeys);
    S3Xml x = S3Xml.root("ListBucketResult");
    x.elem("Name", c.bucket).elem("Prefix", enc(prefix, url));
    if (v2) {
      x.elem("KeyCount", r.contents().size() + r.commonPrefixes().size());
      x.elem("ContinuationToken", token);
      x.elem("StartAfter", startAfter == null ? null : enc(startAfter, url));
      if (r.truncated()) {
        x.elem("NextContinuationToken",
            Base64.getUrlEncoder().withoutPadding().encodeToString(r.last().getBytes(StandardCharsets.UTF_8)));
      }
    } else {
      x.elem("Marker", enc(start == null ? "" : start, url));
      if (r.truncated()) {
        x.elem("NextMarker", enc(r.last(), url));
      }
    }
    x.elem("MaxKeys", maxKeys);
    if (delimiter != null) {
      x.elem("Delimiter", enc(delimiter, url));
    }
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("IsTruncated", r.truncated());
    for (FileSummary f : r.contents()) {
      x.start("Contents").elem("Key", enc(f.key(), url)).elem("LastModified", S3Xml.isoTime(f.createdMillis()))
          .elem("ETag", "\"" + etagOf(c.bucket, f) + "\"").elem("Size", f.size()).elem("StorageClass", "STANDARD");
      if (!v2 || "true".equals(c.q("fetch-owner"))) {
        x.start("Owner").elem("ID", OWNER_ID).elem("DisplayName", OWNER_ID).end();
      }
      x.end();
    }
    for (String p : r.commonPrefixes()) {
      x.start("CommonPrefixes").elem("Prefix", enc(p, url)).end();
    }
    c.xml(200, x.finish());
  }

  /** A listing's ETag: the stored multipart ETag when the object has one (needs its record), else the MD5. */
  private String etagOf(String bucket, FileSummary f) {
    if (f.size() >= MultipartHandler.MIN_PART_SIZE) {
      try {
        String e = files.stat(bucket, f.key()).userMeta().get(ObjectMeta.ETAG);
        if (e != null) {
          return e;
        }
      } catch (CairnException ignored) {
        // deleted meanwhile: the MD5 will do
      }
    }
    return f.md5();
  }

  private static String enc(String s, boolean url) {
    return url ? SigV4.uriEncode(s, false) : s;
  }

  /** S3's rules for new bucket names: 3-63 of [a-z0-9.-], starting and ending with a letter or digit. */
  static void checkS3Name(String bucket) {
    if (bucket == null || bucket.length() < 3 || bucket.length() > 63
        || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]") || bucket.contains("..")
        || bucket.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid: " + bucket);
    }
  }
}
