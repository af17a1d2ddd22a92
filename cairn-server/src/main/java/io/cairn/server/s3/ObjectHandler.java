package io.cairn.server.s3;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.Names;
import io.cairn.server.files.FileService;
import io.cairn.server.files.FileService.PutRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Element;

/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects and CopyObject. */
final class ObjectHandler {
  private static final int MAX_DELETE_KEYS = 1000;
  private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
      "response-content-type", "Content-Type", "response-content-language", "Content-Language",
      "response-expires", "Expires", "response-cache-control", "Cache-Control",
      "response-content-disposition", "Content-Disposition", "response-content-encoding", "Content-Encoding");

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
      java.util.Locale.US);

  private final FileService files;
  private final BucketHandler buckets;

  ObjectHandler(FileService files, BucketHandler buckets) {
    this.files = files;
    this.buckets = buckets;
  }

  static String key(S3Call c) {
    try {
      return Names.checkKey(c.key);
    } catch (CairnException e) {
      if (c.key != null && c.key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Names.MAX_KEY_BYTES) {
        throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
      }
      throw S3Exception.invalidArgument(e.getMessage());
    }
  }

  void put(S3Call c) {
    buckets.require(c);
    String key = key(c);
    InputStream body = Bodies.body(c);
    FileRecord rec = files.put(new PutRequest(c.bucket, key, c.header("content-type"),
        ObjectMeta.fromHeaders(c.headers), false), body);
    c.header("ETag", ObjectMeta.etag(rec));
    echoChecksum(c, body);
    c.empty(200);
  }

  /** Echoes the checksum the client sent (header or trailer), as S3 does; it was verified on the way in. */
  static void echoChecksum(S3Call c, InputStream body) {
    for (var e : c.headers.entrySet()) {
      if (Checksums.forHeader(e.getKey()) != null) {
        c.header(e.getKey(), e.getValue().get(0));
      }
    }
    String trailer = c.header("x-amz-trailer");
    if (trailer != null && body instanceof VerifyingInputStream v && v.inner() instanceof AwsChunkedInputStream a) {
      String value = a.trailers().get(trailer.trim().toLowerCase(java.util.Locale.ROOT));
      c.header(trailer.trim().toLowerCase(java.util.Locale.ROOT), value);
    }
  }

  FileRecord stat(S3Call c, String bucket, String key) {
    try {
      return files.stat(bucket, key);
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NO_SUCH_KEY || e.code() == ErrorCode.NO_SUCH_BUCKET) {
        if (!buckets.exists(bucket)) {
          throw S3Exception.noSuchBucket(bucket);
        }
        throw S3Exception.noSuchKey(key);
      }
      throw e;
    }
  }

  void get(S3Call c, boolean headOnly) {
    if (c.bucket.equals(BucketHandler.HIDDEN)) {
      throw S3Exception.noSuchBucket(c.bucket);
    }
    String key = key(c);
    FileRecord rec = stat(c, c.bucket, key);
    String etag = ObjectMeta.etag(rec);
    long lastModified = rec.createdMillis() / 1000 * 1000;
    c.header("ETag", etag);
    c.header("Last-Modified", httpDate(lastModified));
    checkConditions(c.header("if-match"), c.header("if-none-match"), c.header("if-modified-since"),
        c.header("if-unmodified-since"), etag, lastModified, false);
    c.header("Accept-Ranges", "bytes");
    ObjectMeta.responseHeaders(rec).forEach(c::header);
    c.header("Content-Type", rec.contentType());
    RESPONSE_OVERRIDES.forEach((param, header) -> {
      if (c.q(param) != null) {
        c.header(header, c.q(param));
      }
    });
    long first = 0;
    long last = rec.size() - 1;
    boolean partial = false;
    String range = c.header("range");
    if (range != null) {
      long[] r = parseRange(range, rec.size());
      if (r != null) {
        first = r[0];
        last = r[1];
        partial = true;
        c.header("Content-Range", "bytes " + first + "-" + last + "/" + rec.size());
      }
    }
    c.ctx.status(partial ? 206 : 200);
    c.ctx.res().setContentLengthLong(Math.max(0, last - first + 1));
    if (headOnly || rec.size() == 0) {
      return;
    }
    try {
      OutputStream out = c.ctx.res().getOutputStream();
      files.read(rec, first, last, out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Evaluates S3's conditional headers (RFC 7232 order): If-Match, then If-Unmodified-Since (only without
   * If-Match) give 412; If-None-Match, then If-Modified-Since (only without If-None-Match) give 304, or
   * 412 for copy sources.
   */
  static void checkConditions(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
      String etag, long lastModifiedMillis, boolean copySource) {
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, etag)) {
        throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not"
            + " hold");
      }
    } else if (ifUnmodifiedSince != null) {
      Instant t = parseHttpDate(ifUnmodifiedSince);
      if (t != null && lastModifiedMillis > t.toEpochMilli()) {
        throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not"
            + " hold");
      }
    }
    boolean notModified = false;
    if (ifNoneMatch != null) {
      notModified = etagMatches(ifNoneMatch, etag);
    } else if (ifModifiedSince != null) {
      Instant t = parseHttpDate(ifModifiedSince);
      notModified = t != null && lastModifiedMillis <= t.toEpochMilli();
    }
    if (notModified) {
      throw copySource
          ? new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
          : new S3Exception(304, "NotModified", "Not Modified");
    }
  }

  private static boolean etagMatches(String header, String etag) {
    String bare = etag.replace("\"", "");
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("W/")) {
        p = p.substring(2);
      }
      if (p.equals("*") || p.replace("\"", "").equals(bare)) {
        return true;
      }
    }
    return false;
  }

  /**
   * [first, last] of a single byte range, or null when the header is not a single byte range (then the
   * whole object is sent, as S3 does); InvalidRange when it cannot be satisfied.
   */
  static long[] parseRange(String header, long size) {
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    long first;
    long last;
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return null;
        }
        long suffix = Long.parseLong(b);
        if (suffix == 0) {
          throw invalidRange(size);
        }
        first = Math.max(0, size - suffix);
        last = size - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (!b.isEmpty() && Long.parseLong(b) < first) {
          return null;
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    if (first >= size || size == 0) {
      throw invalidRange(size);
    }
    return new long[] {first, last};
  }

  private static S3Exception invalidRange(long size) {
    return new S3Exception(416, "InvalidRange", "The requested range is not satisfiable (object size " + size + ")");
  }

  void delete(S3Call c) {
    if (c.bucket.equals(BucketHandler.HIDDEN)) {
      throw S3Exception.noSuchBucket(c.bucket);
    }
    String key = key(c);
    boolean deleted = files.delete(c.bucket, key);
    if (!deleted) {
      buckets.require(c);
    }
    c.empty(204);
  }

  void deleteMany(S3Call c) {
    buckets.require(c);
    Element root = S3Xml.parse(Bodies.small(c, 2 << 20), "Delete");
    boolean quiet = "true".equalsIgnoreCase(String.valueOf(S3Xml.childText(root, "Quiet")).trim());
    List<Element> objects = S3Xml.children(root, "Object");
    if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
      throw S3Exception.malformedXml("DeleteObjects takes 1 to " + MAX_DELETE_KEYS + " keys");
    }
    S3Xml x = S3Xml.root("DeleteResult");
    for (Element o : objects) {
      String key = S3Xml.childText(o, "Key");
      try {
        if (key == null) {
          throw S3Exception.malformedXml("An <Object> has no <Key>");
        }
        Names.checkKey(key);
        files.delete(c.bucket, key);
        if (!quiet) {
          x.start("Deleted").elem("Key", key).end();
        }
      } catch (RuntimeException e) {
        S3Exception s = S3Server.toS3(e, c);
        x.start("Error").elem("Key", key).elem("Code", s.code()).elem("Message", s.getMessage()).end();
      }
    }
    c.xml(200, x.finish());
  }

  /** A copy source: bucket and key from x-amz-copy-source, the record, after its conditions hold. */
  FileRecord copySource(S3Call c) {
    String raw = c.header("x-amz-copy-source");
    String src = SigV4.percentDecode(raw.trim(), false);
    int q = src.indexOf("?versionId=");
    if (q >= 0) {
      src = src.substring(0, q);
    }
    if (src.startsWith("/")) {
      src = src.substring(1);
    }
    int slash = src.indexOf('/');
    if (slash <= 0 || slash == src.length() - 1) {
      throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    String bucket = src.substring(0, slash);
    String key = src.substring(slash + 1);
    if (bucket.equals(BucketHandler.HIDDEN)) {
      throw S3Exception.noSuchBucket(bucket);
    }
    FileRecord rec = stat(c, bucket, key);
    checkConditions(c.header("x-amz-copy-source-if-match"), c.header("x-amz-copy-source-if-none-match"),
        c.header("x-amz-copy-source-if-modified-since"), c.header("x-amz-copy-source-if-unmodified-since"),
        ObjectMeta.etag(rec), rec.createdMillis() / 1000 * 1000, true);
    return rec;
  }

  void copy(S3Call c) {
    buckets.require(c);
    String key = key(c);
    FileRecord src = copySource(c);
    String directive = c.header("x-amz-metadata-directive") == null ? "COPY"
        : c.header("x-amz-metadata-directive").trim().toUpperCase(java.util.Locale.ROOT);
    Map<String, String> meta;
    String contentType;
    if (directive.equals("REPLACE")) {
      meta = ObjectMeta.fromHeaders(c.headers);
      contentType = c.header("content-type");
    } else if (directive.equals("COPY")) {
      if (src.bucket().equals(c.bucket) && src.key().equals(key)) {
        throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an object to"
            + " itself without changing the object's metadata, storage class, website redirect location or"
            + " encryption attributes.");
      }
      meta = new TreeMap<>(ObjectMeta.forCopy(src));
      contentType = src.contentType();
    } else {
      throw S3Exception.invalidArgument("Unknown metadata directive: " + directive);
    }
    Bodies.drain(c);
    FileRecord rec;
    try (InputStream in = new RecordInputStream(files, src.size() == 0 ? List.of()
        : List.of(RecordInputStream.Slice.whole(src)))) {
      rec = files.put(new PutRequest(c.bucket, key, contentType, meta, false), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    c.xml(200, S3Xml.root("CopyObjectResult").elem("LastModified", S3Xml.isoTime(rec.createdMillis()))
        .elem("ETag", ObjectMeta.etag(rec)).finish());
  }

  static String httpDate(long millis) {
    return HTTP_DATE.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }

  static Instant parseHttpDate(String s) {
    try {
      return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
