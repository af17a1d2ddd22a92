package io.cairn.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.chunk.Envelope;
import io.cairn.chunk.MasterKey;
import io.cairn.server.s3.S3Credentials;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3 endpoint of a real 3-node cluster, driven by the AWS SDK for Java v2 and the Debian CLI clients. */
class S3IT {
  static TestCluster tc;
  static S3Credentials.KeyPair keys;
  static S3Client s3;
  static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  @BeforeAll
  static void up() {
    tc = TestCluster.start(3, "512m", "--chunk-size", "4MiB");
    keys = S3Credentials.derive(new Envelope(MasterKey.loadOrCreate(tc.dir.resolve("cluster.key"))));
    s3 = client(1, keys.accessKey(), keys.secretKey());
  }

  @AfterAll
  static void down() {
    if (s3 != null) {
      s3.close();
    }
    if (tc != null) {
      tc.close();
    }
  }

  static S3Client client(int node, String access, String secret) {
    return S3Clients.of(tc.s3Url(node), access, secret);
  }

  static int statusOf(Runnable r) {
    return S3Clients.statusOf(r);
  }

  static String codeOf(Runnable r) {
    try {
      r.run();
      return "none";
    } catch (S3Exception e) {
      return e.awsErrorDetails().errorCode();
    }
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @Test
  void bucketsAndObjects() throws Exception {
    s3.createBucket(b -> b.bucket("photos"));
    assertThat(codeOf(() -> s3.createBucket(b -> b.bucket("photos")))).isEqualTo("BucketAlreadyOwnedByYou");
    s3.headBucket(b -> b.bucket("photos"));
    assertThat(statusOf(() -> s3.headBucket(b -> b.bucket("nope")))).isEqualTo(404);
    assertThat(s3.listBuckets().buckets()).extracting(x -> x.name()).contains("photos")
        .doesNotContain("cairn_multipart");
    s3.getBucketLocation(b -> b.bucket("photos"));

    byte[] data = "hello, cairn over s3".getBytes(StandardCharsets.UTF_8);
    var put = s3.putObject(b -> b.bucket("photos").key("dir/a b+c.txt").contentType("text/plain")
        .contentDisposition("attachment").metadata(Map.of("owner", "alice")), RequestBody.fromBytes(data));
    assertThat(put.eTag()).isEqualTo("\"" + md5(data) + "\"");
    HeadObjectResponse head = s3.headObject(b -> b.bucket("photos").key("dir/a b+c.txt"));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(head.contentDisposition()).isEqualTo("attachment");
    assertThat(head.metadata()).containsEntry("owner", "alice");
    // Any node serves it.
    try (S3Client other = client(3, keys.accessKey(), keys.secretKey())) {
      assertThat(other.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt")).asByteArray()).isEqualTo(data);
    }
    ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt")
        .range("bytes=7-11"));
    assertThat(range.asUtf8String()).isEqualTo("cairn");
    assertThat(range.response().contentRange()).isEqualTo("bytes 7-11/" + data.length);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt").range("bytes=-3")).asUtf8String())
        .isEqualTo(" s3");
    assertThat(codeOf(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt").range("bytes=100-"))))
        .isEqualTo("InvalidRange");
    assertThat(statusOf(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt")
        .ifNoneMatch(put.eTag())))).isEqualTo(304);
    assertThat(codeOf(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt").ifMatch("\"x\""))))
        .isEqualTo("PreconditionFailed");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+c.txt").ifMatch(put.eTag())
        .responseContentType("application/x-test")).response().contentType()).isEqualTo("application/x-test");
    assertThat(codeOf(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("missing")))).isEqualTo("NoSuchKey");
    assertThat(codeOf(() -> s3.getObjectAsBytes(b -> b.bucket("nope").key("x")))).isEqualTo("NoSuchBucket");
    assertThat(codeOf(() -> s3.putObject(b -> b.bucket("nope").key("x"), RequestBody.fromString("x"))))
        .isEqualTo("NoSuchBucket");

    // Copy, keeping and replacing metadata.
    s3.copyObject(b -> b.sourceBucket("photos").sourceKey("dir/a b+c.txt").destinationBucket("photos")
        .destinationKey("copy.txt"));
    assertThat(s3.headObject(b -> b.bucket("photos").key("copy.txt")).metadata()).containsEntry("owner", "alice");
    s3.copyObject(b -> b.sourceBucket("photos").sourceKey("copy.txt").destinationBucket("photos")
        .destinationKey("copy.txt").metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("v", "2"))
        .contentType("text/x-new"));
    HeadObjectResponse replaced = s3.headObject(b -> b.bucket("photos").key("copy.txt"));
    assertThat(replaced.metadata()).containsEntry("v", "2").doesNotContainKey("owner");
    assertThat(replaced.contentType()).isEqualTo("text/x-new");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("copy.txt")).asByteArray()).isEqualTo(data);

    // Empty object.
    s3.putObject(b -> b.bucket("photos").key("empty"), RequestBody.empty());
    assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("empty")).asByteArray()).isEmpty();

    assertThat(codeOf(() -> s3.deleteBucket(b -> b.bucket("photos")))).isEqualTo("BucketNotEmpty");
    var del = s3.deleteObjects(b -> b.bucket("photos").delete(d -> d.objects(
        ObjectIdentifier.builder().key("copy.txt").build(), ObjectIdentifier.builder().key("empty").build(),
        ObjectIdentifier.builder().key("never-there").build())));
    assertThat(del.deleted()).hasSize(3);
    s3.deleteObject(b -> b.bucket("photos").key("dir/a b+c.txt"));
    s3.deleteObject(b -> b.bucket("photos").key("dir/a b+c.txt"));
    s3.deleteBucket(b -> b.bucket("photos"));
    assertThat(statusOf(() -> s3.headBucket(b -> b.bucket("photos")))).isEqualTo(404);
  }

  @Test
  void multipart100MiB() throws Exception {
    s3.createBucket(b -> b.bucket("big"));
    int partSize = 10 << 20;
    int parts = 10;
    MessageDigest whole = MessageDigest.getInstance("SHA-256");
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    String id = s3.createMultipartUpload(b -> b.bucket("big").key("blob.bin").contentType("application/x-blob")
        .metadata(Map.of("k", "v"))).uploadId();
    assertThat(s3.listMultipartUploads(b -> b.bucket("big")).uploads()).extracting(u -> u.uploadId()).contains(id);
    long started = System.nanoTime();
    List<CompletedPart> done = new ArrayList<>();
    Random rnd = new Random(7);
    for (int i = 1; i <= parts; i++) {
      byte[] p = new byte[partSize];
      rnd.nextBytes(p);
      whole.update(p);
      md5s.update(MessageDigest.getInstance("MD5").digest(p));
      int n = i;
      String etag = s3.uploadPart(b -> b.bucket("big").key("blob.bin").uploadId(id).partNumber(n),
          RequestBody.fromBytes(p)).eTag();
      done.add(CompletedPart.builder().partNumber(i).eTag(etag).build());
    }
    assertThat(s3.listParts(b -> b.bucket("big").key("blob.bin").uploadId(id)).parts()).hasSize(parts);
    assertThat(codeOf(() -> s3.completeMultipartUpload(b -> b.bucket("big").key("blob.bin").uploadId(id)
        .multipartUpload(m -> m.parts(done.get(1), done.get(0)))))).isEqualTo("InvalidPartOrder");
    assertThat(codeOf(() -> s3.completeMultipartUpload(b -> b.bucket("big").key("blob.bin").uploadId(id)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"00\"").build())))))
        .isEqualTo("InvalidPart");
    var result = s3.completeMultipartUpload(b -> b.bucket("big").key("blob.bin").uploadId(id)
        .multipartUpload(m -> m.parts(done)));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("S3 multipart upload of %d MiB: %.1f s, %.1f MB/s%n", parts * partSize >> 20, seconds,
        parts * (double) partSize / 1e6 / seconds);
    assertThat(result.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5s.digest()) + "-" + parts + "\"");
    HeadObjectResponse head = s3.headObject(b -> b.bucket("big").key("blob.bin"));
    assertThat(head.contentLength()).isEqualTo((long) parts * partSize);
    assertThat(head.eTag()).isEqualTo(result.eTag());
    assertThat(head.metadata()).containsEntry("k", "v");
    MessageDigest back = MessageDigest.getInstance("SHA-256");
    long t0 = System.nanoTime();
    try (InputStream in = s3.getObject(b -> b.bucket("big").key("blob.bin"))) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        back.update(buf, 0, n);
      }
    }
    System.out.printf("S3 GET of %d MiB: %.1f MB/s%n", parts * partSize >> 20,
        parts * (double) partSize / 1e6 / ((System.nanoTime() - t0) / 1e9));
    assertThat(back.digest()).isEqualTo(whole.digest());
    assertThat(codeOf(() -> s3.listParts(b -> b.bucket("big").key("blob.bin").uploadId(id))))
        .isEqualTo("NoSuchUpload");

    // UploadPartCopy, EntityTooSmall, Abort.
    String id2 = s3.createMultipartUpload(b -> b.bucket("big").key("copy.bin")).uploadId();
    String e1 = s3.uploadPartCopy(b -> b.sourceBucket("big").sourceKey("blob.bin").destinationBucket("big")
        .destinationKey("copy.bin").uploadId(id2).partNumber(1).copySourceRange("bytes=0-99")).copyPartResult().eTag();
    String e2 = s3.uploadPart(b -> b.bucket("big").key("copy.bin").uploadId(id2).partNumber(2),
        RequestBody.fromString("tail")).eTag();
    assertThat(codeOf(() -> s3.completeMultipartUpload(b -> b.bucket("big").key("copy.bin").uploadId(id2)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
            CompletedPart.builder().partNumber(2).eTag(e2).build()))))).isEqualTo("EntityTooSmall");
    s3.completeMultipartUpload(b -> b.bucket("big").key("copy.bin").uploadId(id2)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())));
    assertThat(s3.headObject(b -> b.bucket("big").key("copy.bin")).contentLength()).isEqualTo(100);
    String id3 = s3.createMultipartUpload(b -> b.bucket("big").key("gone.bin")).uploadId();
    s3.uploadPart(b -> b.bucket("big").key("gone.bin").uploadId(id3).partNumber(1), RequestBody.fromString("x"));
    s3.abortMultipartUpload(b -> b.bucket("big").key("gone.bin").uploadId(id3));
    assertThat(codeOf(() -> s3.abortMultipartUpload(b -> b.bucket("big").key("gone.bin").uploadId(id3))))
        .isEqualTo("NoSuchUpload");
  }

  @Test
  void presignedGetAndPut() throws Exception {
    s3.createBucket(b -> b.bucket("pre"));
    try (S3Presigner p = S3Presigner.builder().endpointOverride(URI.create(tc.s3Url(2))).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKey(),
            keys.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
      var putUrl = p.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(r -> r.bucket("pre").key("up.txt"))).url();
      HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(putUrl.toURI())
          .PUT(HttpRequest.BodyPublishers.ofString("presigned body")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(200);
      var getUrl = p.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(r -> r.bucket("pre").key("up.txt"))).url();
      HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(getUrl.toURI()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.body()).isEqualTo("presigned body");
      // Tampered signature and anonymous access are refused.
      HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(getUrl.toString()
          .replace("X-Amz-Signature=", "X-Amz-Signature=0"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(401);
      assertThat(bad.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<RequestId>");
      HttpResponse<String> anon = HTTP.send(HttpRequest.newBuilder(URI.create(tc.s3Url(1) + "/pre/up.txt")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anon.statusCode()).isEqualTo(401);
      assertThat(anon.body()).contains("<Code>AccessDenied</Code>");
    }
    try (S3Client wrong = client(1, keys.accessKey(), "wrong-secret")) {
      assertThat(codeOf(wrong::listBuckets)).isEqualTo("SignatureDoesNotMatch");
    }
    try (S3Client unknown = client(1, "AKIAUNKNOWN", "x")) {
      assertThat(codeOf(unknown::listBuckets)).isEqualTo("InvalidAccessKeyId");
    }
  }

  @Test
  void listing2000KeysWithDelimitersAndPages() throws Exception {
    s3.createBucket(b -> b.bucket("many"));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> fs = new ArrayList<>();
    for (int d = 0; d < 20; d++) {
      for (int f = 0; f < 100; f++) {
        String key = String.format("dir%02d/file%03d", d, f);
        fs.add(pool.submit(() -> s3.putObject(b -> b.bucket("many").key(key), RequestBody.fromString(key))));
      }
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("many").delimiter("/"));
    assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).hasSize(20).first().isEqualTo("dir00/");
    assertThat(top.contents()).isEmpty();
    List<String> all = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("many").maxKeys(333)).contents().forEach(o -> all.add(o.key()));
    assertThat(all).hasSize(2000).isSorted();
    List<String> prefixes = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("many").delimiter("/").maxKeys(7)).commonPrefixes()
        .forEach(cp -> prefixes.add(cp.prefix()));
    assertThat(prefixes).hasSize(20).doesNotHaveDuplicates();
    var inDir = s3.listObjectsV2(b -> b.bucket("many").prefix("dir05/").startAfter("dir05/file049"));
    assertThat(inDir.contents()).hasSize(50).first().extracting(S3Object::key).isEqualTo("dir05/file050");
    List<String> v1 = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      var page = s3.listObjects(b -> b.bucket("many").prefix("dir1").delimiter("/").maxKeys(3).marker(m));
      page.commonPrefixes().forEach(cp -> v1.add(cp.prefix()));
      marker = page.isTruncated() ? page.nextMarker() : null;
    } while (marker != null);
    assertThat(v1).hasSize(10).doesNotHaveDuplicates();
    var encoded = s3.listObjectsV2(b -> b.bucket("many").prefix("dir00/file00").encodingType("url"));
    assertThat(encoded.contents()).hasSize(10);
  }

  @Test
  void sameObjectsAsRest() throws Exception {
    s3.createBucket(b -> b.bucket("shared"));
    s3.putObject(b -> b.bucket("shared").key("from-s3.txt"), RequestBody.fromString("via s3"));
    HttpResponse<String> rest = HTTP.send(HttpRequest.newBuilder(URI.create(tc.url(2)
        + "/api/v1/files/shared/from-s3.txt")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(rest.body()).isEqualTo("via s3");
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(tc.url(1)
        + "/api/v1/files/shared/from-rest.txt")).PUT(HttpRequest.BodyPublishers.ofString("via rest")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("shared").key("from-rest.txt")).asUtf8String())
        .isEqualTo("via rest");
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(tc.url(1) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("endpoint=\"s3:PutObject\"").contains("endpoint=\"s3:GetObject\"");
  }

  // ---- CLI clients from Debian packages ----

  static Path tool(String name) {
    Path p = Path.of("/usr/bin", name);
    if (!Files.isExecutable(p)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(p + " is missing; .ci/run must install the awscli and s3cmd packages");
      }
      System.err.println("SKIPPING: " + p + " is not installed (apt-get install -y awscli s3cmd)");
      Assumptions.abort(p + " is not installed");
    }
    return p;
  }

  static String run(Path dir, List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", keys.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", keys.secretKey());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", dir.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
    env.put("HOME", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertThat(rc).as("%s\n%s", cmd, out).isZero();
    return out;
  }

  static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  void awsCli() throws Exception {
    Path aws = tool("aws");
    Path dir = Files.createTempDirectory("cairn-awscli-");
    Files.writeString(dir.resolve("aws-config"), "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n"
        + "    multipart_threshold = 8MB\n    multipart_chunksize = 8MB\n");
    byte[] data = new byte[50_000_000];
    new Random(3).nextBytes(data);
    Path file = dir.resolve("fifty.bin");
    Files.write(file, data);
    String ep = tc.s3Url(1);
    List<String> base = List.of(aws.toString(), "--endpoint-url", ep);
    run(dir, concat(base, "s3", "mb", "s3://cli"));
    run(dir, concat(base, "s3", "cp", file.toString(), "s3://cli/fifty.bin"));
    assertThat(run(dir, concat(base, "s3", "ls", "s3://cli/"))).contains("fifty.bin").contains("50000000");
    run(dir, concat(base, "s3", "cp", "s3://cli/fifty.bin", dir.resolve("back.bin").toString()));
    assertThat(sha256(dir.resolve("back.bin"))).isEqualTo(sha256(file));
    Path sync = Files.createDirectories(dir.resolve("sync"));
    Files.writeString(sync.resolve("one.txt"), "one");
    Files.writeString(sync.resolve("two.txt"), "two");
    run(dir, concat(base, "s3", "sync", sync.toString(), "s3://cli/sync/"));
    assertThat(run(dir, concat(base, "s3", "ls", "s3://cli/sync/"))).contains("one.txt").contains("two.txt");
    // s3api multipart by hand.
    String created = run(dir, concat(base, "s3api", "create-multipart-upload", "--bucket", "cli", "--key", "mp.bin",
        "--output", "text", "--query", "UploadId"));
    String uploadId = created.trim();
    Path part1 = dir.resolve("p1");
    Path part2 = dir.resolve("p2");
    Files.write(part1, java.util.Arrays.copyOfRange(data, 0, 30_000_000));
    Files.write(part2, java.util.Arrays.copyOfRange(data, 30_000_000, data.length));
    String e1 = run(dir, concat(base, "s3api", "upload-part", "--bucket", "cli", "--key", "mp.bin", "--part-number",
        "1", "--upload-id", uploadId, "--body", part1.toString(), "--output", "text", "--query", "ETag")).trim();
    String e2 = run(dir, concat(base, "s3api", "upload-part", "--bucket", "cli", "--key", "mp.bin", "--part-number",
        "2", "--upload-id", uploadId, "--body", part2.toString(), "--output", "text", "--query", "ETag")).trim();
    Files.writeString(dir.resolve("parts.json"), "{\"Parts\":[{\"PartNumber\":1,\"ETag\":" + quote(e1)
        + "},{\"PartNumber\":2,\"ETag\":" + quote(e2) + "}]}");
    run(dir, concat(base, "s3api", "complete-multipart-upload", "--bucket", "cli", "--key", "mp.bin", "--upload-id",
        uploadId, "--multipart-upload", "file://" + dir.resolve("parts.json")));
    run(dir, concat(base, "s3", "cp", "s3://cli/mp.bin", dir.resolve("mp.back").toString()));
    assertThat(sha256(dir.resolve("mp.back"))).isEqualTo(sha256(file));
    run(dir, concat(base, "s3", "rm", "--recursive", "s3://cli/"));
    assertThat(run(dir, concat(base, "s3", "ls", "s3://cli/"))).doesNotContain("fifty.bin");
    TestCluster.deleteTree(dir);
  }

  private static String quote(String etag) {
    String bare = etag.replace("\"", "").replace("\\", "");
    return "\"\\\"" + bare + "\\\"\"";
  }

  @Test
  void s3cmd() throws Exception {
    Path s3cmd = tool("s3cmd");
    Path dir = Files.createTempDirectory("cairn-s3cmd-");
    String hostPort = tc.s3Url(2).substring("http://".length());
    Path cfg = dir.resolve("s3cfg");
    Files.writeString(cfg, "[default]\naccess_key = " + keys.accessKey() + "\nsecret_key = " + keys.secretKey()
        + "\nhost_base = " + hostPort + "\nhost_bucket = " + hostPort + "\nuse_https = False\n"
        + "signature_v2 = False\nbucket_location = us-east-1\n");
    byte[] data = new byte[3_000_000];
    new Random(5).nextBytes(data);
    Path file = dir.resolve("data.bin");
    Files.write(file, data);
    List<String> base = List.of(s3cmd.toString(), "-c", cfg.toString());
    run(dir, concat(base, "mb", "s3://s3cmd-bucket"));
    run(dir, concat(base, "put", file.toString(), "s3://s3cmd-bucket/data.bin"));
    assertThat(run(dir, concat(base, "ls", "s3://s3cmd-bucket/"))).contains("s3://s3cmd-bucket/data.bin");
    run(dir, concat(base, "get", "s3://s3cmd-bucket/data.bin", dir.resolve("back.bin").toString()));
    assertThat(sha256(dir.resolve("back.bin"))).isEqualTo(sha256(file));
    run(dir, concat(base, "del", "s3://s3cmd-bucket/data.bin"));
    assertThat(run(dir, concat(base, "ls", "s3://s3cmd-bucket/"))).doesNotContain("data.bin");
    TestCluster.deleteTree(dir);
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }
}
