package io.cairn.server.s3;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.FileSummary;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.server.files.FileService;
import io.cairn.server.files.FileService.PutRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Multipart uploads. Each upload is a marker object {@code u/<bucket>/<uploadId>} in the hidden bucket
 * (holding the final object's key, content type and metadata) and each part an object
 * {@code p/<uploadId>/<00001>} there. Complete streams the parts in order into the final object through
 * {@link FileService#put} (one server-side copy) and deletes them; see docs/S3.md for why this is not yet
 * zero-copy.
 */
final class MultipartHandler {
  private static final Logger log = LoggerFactory.getLogger(MultipartHandler.class);
  static final long MIN_PART_SIZE = 5L << 20;
  static final int MAX_PARTS = 10_000;

  private final FileService files;
  private final BucketHandler buckets;
  private final ObjectHandler objects;
  private final Clock clock;

  MultipartHandler(FileService files, BucketHandler buckets, ObjectHandler objects, Clock clock) {
    this.files = files;
    this.buckets = buckets;
    this.objects = objects;
    this.clock = clock;
  }

  private static String markerKey(String bucket, String uploadId) {
    return "u/" + bucket + "/" + uploadId;
  }

  private static String partPrefix(String uploadId) {
    return "p/" + uploadId + "/";
  }

  private static String partKey(String uploadId, int part) {
    return partPrefix(uploadId) + String.format("%05d", part);
  }

  void create(S3Call c) {
    buckets.require(c);
    String key = ObjectHandler.key(c);
    Bodies.drain(c);
    String uploadId = HexFormat.of().formatHex(S3Server.randomBytes(16));
    Map<String, String> meta = new TreeMap<>(ObjectMeta.fromHeaders(c.headers));
    meta.put(ObjectMeta.UPLOAD_KEY, key);
    files.put(new PutRequest(BucketHandler.HIDDEN, markerKey(c.bucket, uploadId), c.header("content-type"), meta,
        false), InputStream.nullInputStream());
    c.xml(200, S3Xml.root("InitiateMultipartUploadResult").elem("Bucket", c.bucket).elem("Key", key)
        .elem("UploadId", uploadId).finish());
  }

  /** The upload's marker; NoSuchUpload unless it exists for this bucket and key. */
  private FileRecord upload(S3Call c) {
    String id = c.q("uploadId");
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      throw S3Exception.noSuchUpload(String.valueOf(id));
    }
    try {
      FileRecord m = files.stat(BucketHandler.HIDDEN, markerKey(c.bucket, id));
      if (!m.userMeta().getOrDefault(ObjectMeta.UPLOAD_KEY, "").equals(c.key)) {
        throw S3Exception.noSuchUpload(id);
      }
      return m;
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NO_SUCH_KEY || e.code() == ErrorCode.NO_SUCH_BUCKET) {
        if (!buckets.exists(c.bucket)) {
          throw S3Exception.noSuchBucket(c.bucket);
        }
        throw S3Exception.noSuchUpload(id);
      }
      throw e;
    }
  }

  void uploadPart(S3Call c, boolean copy) {
    ObjectHandler.key(c);
    upload(c);
    int part = partNumber(c.q("partNumber"));
    String uploadId = c.q("uploadId");
    FileRecord rec;
    if (copy) {
      FileRecord src = objects.copySource(c);
      long first = 0;
      long last = src.size() - 1;
      String range = c.header("x-amz-copy-source-range");
      if (range != null) {
        long[] r = ObjectHandler.parseRange(range, src.size());
        if (r == null || !range.trim().matches("bytes=\\d+-\\d+")) {
          throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last");
        }
        first = r[0];
        last = r[1];
      }
      Bodies.drain(c);
      try (InputStream in = new RecordInputStream(files, last < first ? List.of()
          : List.of(new RecordInputStream.Slice(src, first, last)))) {
        rec = files.put(new PutRequest(BucketHandler.HIDDEN, partKey(uploadId, part), null, Map.of(), false), in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      c.xml(200, S3Xml.root("CopyPartResult").elem("LastModified", S3Xml.isoTime(rec.createdMillis()))
          .elem("ETag", "\"" + rec.md5() + "\"").finish());
      return;
    }
    InputStream body = Bodies.body(c);
    rec = files.put(new PutRequest(BucketHandler.HIDDEN, partKey(uploadId, part), null, Map.of(), false), body);
    c.header("ETag", "\"" + rec.md5() + "\"");
    ObjectHandler.echoChecksum(c, body);
    c.empty(200);
  }

  private static int partNumber(String raw) {
    try {
      int n = Integer.parseInt(raw == null ? "" : raw.trim());
      if (n >= 1 && n <= MAX_PARTS) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw S3Exception.invalidArgument("Part number must be an integer between 1 and " + MAX_PARTS + ", inclusive");
  }

  /** Stored parts of an upload by number, in order. */
  private TreeMap<Integer, FileSummary> parts(String uploadId) {
    TreeMap<Integer, FileSummary> out = new TreeMap<>();
    String prefix = partPrefix(uploadId);
    String cursor = null;
    while (true) {
      ListPage page;
      try {
        page = files.list(new ListQuery(BucketHandler.HIDDEN, prefix, "", 1000, cursor));
      } catch (CairnException e) {
        if (e.code() == ErrorCode.NO_SUCH_BUCKET) {
          return out;
        }
        throw e;
      }
      for (FileSummary f : page.files()) {
        out.put(Integer.parseInt(f.key().substring(prefix.length())), f);
      }
      if (page.nextCursor() == null) {
        return out;
      }
      cursor = page.nextCursor();
    }
  }

  void complete(S3Call c) {
    String key = ObjectHandler.key(c);
    FileRecord marker = upload(c);
    String uploadId = c.q("uploadId");
    Element root = S3Xml.parse(Bodies.small(c, 4 << 20), "CompleteMultipartUpload");
    List<Element> given = S3Xml.children(root, "Part");
    if (given.isEmpty()) {
      throw S3Exception.malformedXml("You must specify at least one part");
    }
    TreeMap<Integer, FileSummary> stored = parts(uploadId);
    List<FileSummary> chosen = new ArrayList<>();
    int previous = 0;
    for (Element p : given) {
      int n;
      try {
        n = Integer.parseInt(String.valueOf(S3Xml.childText(p, "PartNumber")).trim());
      } catch (NumberFormatException e) {
        throw S3Exception.malformedXml("Each <Part> needs a numeric <PartNumber>");
      }
      if (n <= previous) {
        throw new S3Exception(400, "InvalidPartOrder",
            "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
      }
      previous = n;
      FileSummary s = stored.get(n);
      String etag = S3Xml.childText(p, "ETag");
      if (s == null || etag == null || !etag.trim().replace("\"", "").equalsIgnoreCase(s.md5())) {
        throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. The part"
            + " may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
      }
      chosen.add(s);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).size() < MIN_PART_SIZE) {
        throw new S3Exception(400, "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed object size (5 MiB per part but the last).");
      }
    }
    MessageDigest md5s = VerifyingInputStream.md5();
    List<RecordInputStream.Slice> slices = new ArrayList<>();
    for (FileSummary s : chosen) {
      md5s.update(HexFormat.of().parseHex(s.md5()));
      FileRecord part = files.stat(BucketHandler.HIDDEN, s.key());
      if (part.size() > 0) {
        slices.add(RecordInputStream.Slice.whole(part));
      }
    }
    String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + chosen.size();
    Map<String, String> meta = new TreeMap<>(marker.userMeta());
    meta.remove(ObjectMeta.UPLOAD_KEY);
    meta.put(ObjectMeta.ETAG, etag);
    FileRecord rec;
    try (InputStream in = new RecordInputStream(files, slices)) {
      rec = files.put(new PutRequest(c.bucket, key, marker.contentType(), meta, false), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    removeUpload(c.bucket, uploadId, stored);
    c.xml(200, S3Xml.root("CompleteMultipartUploadResult").elem("Location", "/" + c.bucket + "/" + key)
        .elem("Bucket", c.bucket).elem("Key", key).elem("ETag", ObjectMeta.etag(rec)).finish());
  }

  private void removeUpload(String bucket, String uploadId, TreeMap<Integer, FileSummary> parts) {
    files.delete(BucketHandler.HIDDEN, markerKey(bucket, uploadId));
    for (FileSummary p : (parts == null ? parts(uploadId) : parts).values()) {
      files.delete(BucketHandler.HIDDEN, p.key());
    }
  }

  void abort(S3Call c) {
    ObjectHandler.key(c);
    upload(c);
    removeUpload(c.bucket, c.q("uploadId"), null);
    c.empty(204);
  }

  void listParts(S3Call c) {
    String key = ObjectHandler.key(c);
    upload(c);
    String uploadId = c.q("uploadId");
    int marker = 0;
    if (c.q("part-number-marker") != null) {
      try {
        marker = Integer.parseInt(c.q("part-number-marker").trim());
      } catch (NumberFormatException e) {
        throw S3Exception.invalidArgument("part-number-marker must be an integer");
      }
    }
    int max = 1000;
    if (c.q("max-parts") != null) {
      try {
        max = Math.max(0, Math.min(1000, Integer.parseInt(c.q("max-parts").trim())));
      } catch (NumberFormatException e) {
        throw S3Exception.invalidArgument("max-parts must be an integer");
      }
    }
    List<Map.Entry<Integer, FileSummary>> after = new ArrayList<>(parts(uploadId).tailMap(marker, false).entrySet());
    boolean truncated = after.size() > max;
    List<Map.Entry<Integer, FileSummary>> page = after.subList(0, Math.min(max, after.size()));
    S3Xml x = S3Xml.root("ListPartsResult").elem("Bucket", c.bucket).elem("Key", key).elem("UploadId", uploadId);
    x.start("Initiator").elem("ID", BucketHandler.OWNER_ID).elem("DisplayName", BucketHandler.OWNER_ID).end();
    x.start("Owner").elem("ID", BucketHandler.OWNER_ID).elem("DisplayName", BucketHandler.OWNER_ID).end();
    x.elem("StorageClass", "STANDARD").elem("PartNumberMarker", marker);
    if (!page.isEmpty()) {
      x.elem("NextPartNumberMarker", page.get(page.size() - 1).getKey());
    }
    x.elem("MaxParts", max).elem("IsTruncated", truncated);
    for (Map.Entry<Integer, FileSummary> e : page) {
      FileSummary f = e.getValue();
      x.start("Part").elem("PartNumber", e.getKey()).elem("LastModified", S3Xml.isoTime(f.createdMillis()))
          .elem("ETag", "\"" + f.md5() + "\"").elem("Size", f.size()).end();
    }
    c.xml(200, x.finish());
  }

  private record Upload(String key, String uploadId, long initiated) {}

  /** Uploads in progress in a bucket; null bucket for every bucket. */
  private List<Upload> uploads(String bucket) {
    List<Upload> out = new ArrayList<>();
    String prefix = bucket == null ? "u/" : "u/" + bucket + "/";
    String cursor = null;
    while (true) {
      ListPage page;
      try {
        page = files.list(new ListQuery(BucketHandler.HIDDEN, prefix, "", 1000, cursor));
      } catch (CairnException e) {
        if (e.code() == ErrorCode.NO_SUCH_BUCKET) {
          return out;
        }
        throw e;
      }
      for (FileSummary f : page.files()) {
        out.add(new Upload(f.key(), f.key().substring(f.key().lastIndexOf('/') + 1), f.createdMillis()));
      }
      if (page.nextCursor() == null) {
        return out;
      }
      cursor = page.nextCursor();
    }
  }

  void listUploads(S3Call c) {
    buckets.require(c);
    String prefix = c.q("prefix") == null ? "" : c.q("prefix");
    int max = 1000;
    if (c.q("max-uploads") != null) {
      try {
        max = Math.max(0, Math.min(1000, Integer.parseInt(c.q("max-uploads").trim())));
      } catch (NumberFormatException e) {
        throw S3Exception.invalidArgument("max-uploads must be an integer");
      }
    }
    List<Upload> found = new ArrayList<>();
    for (Upload u : uploads(c.bucket)) {
      try {
        String key = files.stat(BucketHandler.HIDDEN, u.key()).userMeta().get(ObjectMeta.UPLOAD_KEY);
        if (key != null && key.startsWith(prefix)) {
          found.add(new Upload(key, u.uploadId(), u.initiated()));
        }
      } catch (CairnException e) {
        // completed or aborted meanwhile
      }
    }
    found.sort(Comparator.comparing(Upload::key).thenComparingLong(Upload::initiated));
    boolean truncated = found.size() > max;
    List<Upload> page = found.subList(0, Math.min(max, found.size()));
    S3Xml x = S3Xml.root("ListMultipartUploadsResult").elem("Bucket", c.bucket).elem("KeyMarker", "")
        .elem("UploadIdMarker", "");
    if (truncated && !page.isEmpty()) {
      x.elem("NextKeyMarker", page.get(page.size() - 1).key())
          .elem("NextUploadIdMarker", page.get(page.size() - 1).uploadId());
    }
    x.elem("Prefix", prefix).elem("MaxUploads", max).elem("IsTruncated", truncated);
    for (Upload u : page) {
      x.start("Upload").elem("Key", u.key()).elem("UploadId", u.uploadId());
      x.start("Initiator").elem("ID", BucketHandler.OWNER_ID).elem("DisplayName", BucketHandler.OWNER_ID).end();
      x.start("Owner").elem("ID", BucketHandler.OWNER_ID).elem("DisplayName", BucketHandler.OWNER_ID).end();
      x.elem("StorageClass", "STANDARD").elem("Initiated", S3Xml.isoTime(u.initiated())).end();
    }
    c.xml(200, x.finish());
  }

  /** Removes uploads started more than {@code maxAge} ago, with their parts. */
  int expire(Duration maxAge) {
    long cutoff = clock.millis() - maxAge.toMillis();
    int n = 0;
    for (Upload u : uploads(null)) {
      if (u.initiated() < cutoff) {
        String bucket = u.key().substring(2, u.key().lastIndexOf('/'));
        removeUpload(bucket, u.uploadId(), null);
        n++;
      }
    }
    if (n > 0) {
      log.info("expired {} abandoned multipart upload(s) older than {}", n, maxAge);
    }
    return n;
  }
}
