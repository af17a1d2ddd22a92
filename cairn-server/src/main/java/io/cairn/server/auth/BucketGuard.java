package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.BucketInfo;
import io.cairn.meta.MetaStore;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bucket ownership checks shared by the HTTP routes ({@link OwnedFileService}) and the S3 endpoint. Each
 * check is a linearizable metadata read; unrestricted principals (admins, dev-mode anonymous) skip it.
 */
public final class BucketGuard {
  private final MetaStore meta;

  public BucketGuard(MetaStore meta) {
    this.meta = meta;
  }

  /** FORBIDDEN unless {@code p} may use {@code bucket}; a bucket that does not exist passes (404 later). */
  public void check(Principal p, String bucket) {
    if (!p.unrestricted()) {
      meta.access().bucket(bucket).ifPresent(info -> require(p, info));
    }
  }

  /**
   * Creates {@code bucket} owned by {@code p} if it does not exist yet, then checks {@code p} may use it.
   * Returns true if this call created it.
   */
  public boolean createOwned(Principal p, String bucket) {
    boolean created = meta.access().createBucket(bucket, p.ownerName());
    if (!created) {
      check(p, bucket);
    }
    return created;
  }

  /** Names of the buckets {@code p} may see. */
  public Set<String> visible(Principal p) {
    return meta.buckets().stream().filter(p::mayAccess).map(BucketInfo::name).collect(Collectors.toSet());
  }

  static void require(Principal p, BucketInfo b) {
    if (!p.mayAccess(b)) {
      throw new CairnException(ErrorCode.FORBIDDEN, "bucket " + b.name() + " belongs to another user");
    }
  }
}
