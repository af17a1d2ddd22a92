package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.meta.BucketInfo;
import io.cairn.meta.MetaStore;
import io.cairn.server.files.FileService;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The {@link FileService} the public HTTP routes (REST, seed form routes, web UI) see: every call is
 * checked against the request's {@link Principal} before it reaches the data path. One choke point rather
 * than a check per route, so a new route cannot forget it.
 *
 * <p><b>Rules.</b> Admins and the dev-mode anonymous caller pass straight through (no extra metadata
 * read, so anonymous dev clusters run as fast as before). A user may touch a bucket only if they own it;
 * a put into a bucket that does not exist yet first creates it owned by the user (an atomic Raft op: of
 * two users racing for a name, one wins and the other gets 403). A bucket that does not exist is left to
 * the data path to report (404). Refusals are 403 and change nothing.
 */
public final class OwnedFileService implements FileService {
  private final FileService files;
  private final MetaStore meta;
  private final BucketGuard guard;

  public OwnedFileService(FileService files, MetaStore meta) {
    this.files = files;
    this.meta = meta;
    this.guard = new BucketGuard(meta);
  }

  @Override
  public FileRecord put(PutRequest request, InputStream body) {
    Principal p = caller();
    if (!p.unrestricted()) {
      Optional<BucketInfo> b = meta.access().bucket(request.bucket());
      if (b.isEmpty()) {
        guard.createOwned(p, request.bucket());
      } else {
        BucketGuard.require(p, b.get());
      }
    }
    return files.put(request, body);
  }

  @Override
  public FileRecord stat(String bucket, String key) {
    check(bucket);
    return files.stat(bucket, key);
  }

  @Override
  public void read(FileRecord file, long first, long last, OutputStream out) {
    check(file.bucket());
    files.read(file, first, last, out);
  }

  @Override
  public boolean delete(String bucket, String key) {
    check(bucket);
    return files.delete(bucket, key);
  }

  @Override
  public ListPage list(ListQuery query) {
    check(query.bucket());
    return files.list(query);
  }

  /** Admins see every bucket; a user sees their own. */
  @Override
  public List<String> buckets() {
    Principal p = caller();
    if (p.unrestricted()) {
      return files.buckets();
    }
    return meta.buckets().stream().filter(p::mayAccess).map(BucketInfo::name).toList();
  }

  @Override
  public boolean createBucket(String bucket) {
    Principal p = caller();
    if (p.anonymous()) {
      return files.createBucket(bucket);
    }
    // Someone else's name: 403 rather than "already exists".
    return guard.createOwned(p, bucket);
  }

  @Override
  public void deleteBucket(String bucket) {
    check(bucket);
    files.deleteBucket(bucket);
  }

  @Override
  public ClusterView cluster() {
    return files.cluster();
  }

  private void check(String bucket) {
    guard.check(caller(), bucket);
  }

  private static Principal caller() {
    Principal p = CurrentPrincipal.require();
    if (p == Authenticator.NOBODY) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "authentication required");
    }
    return p;
  }
}
