package io.cairn.server.s3;

import java.util.Set;

/** Which S3 operation a request is, from its method, addressing and sub-resource query parameters. */
final class S3Router {
  enum Op {
    ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListObjects, ListObjectsV2,
    PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject,
    CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
    ListMultipartUploads, Unsupported
  }

  /** Sub-resources Cairn does not implement (versioning, ACLs, policies, lifecycle, ...). */
  private static final Set<String> UNSUPPORTED = Set.of("acl", "policy", "policyStatus", "lifecycle", "cors",
      "tagging", "versioning", "versions", "website", "logging", "notification", "replication", "encryption",
      "object-lock", "retention", "legal-hold", "requestPayment", "accelerate", "analytics", "inventory",
      "metrics", "ownershipControls", "publicAccessBlock", "intelligent-tiering", "restore", "select",
      "attributes", "torrent", "versionId");

  private S3Router() {}

  static String subresource(S3Call c) {
    for (String k : c.query.keySet()) {
      if (UNSUPPORTED.contains(k)) {
        return k;
      }
    }
    return "none";
  }

  static Op route(S3Call c) {
    if (!subresource(c).equals("none")) {
      return Op.Unsupported;
    }
    String m = c.method;
    if (c.bucket == null) {
      return m.equals("GET") ? Op.ListBuckets : Op.Unsupported;
    }
    if (c.key == null) {
      return switch (m) {
        case "GET" -> c.has("location") ? Op.GetBucketLocation : c.has("uploads") ? Op.ListMultipartUploads
            : "2".equals(c.q("list-type")) ? Op.ListObjectsV2 : Op.ListObjects;
        case "PUT" -> Op.CreateBucket;
        case "HEAD" -> Op.HeadBucket;
        case "DELETE" -> Op.DeleteBucket;
        case "POST" -> c.has("delete") ? Op.DeleteObjects : Op.Unsupported;
        default -> Op.Unsupported;
      };
    }
    return switch (m) {
      case "GET" -> c.has("uploadId") ? Op.ListParts : Op.GetObject;
      case "HEAD" -> Op.HeadObject;
      case "PUT" -> c.has("uploadId") || c.has("partNumber")
          ? (c.header("x-amz-copy-source") != null ? Op.UploadPartCopy : Op.UploadPart)
          : c.header("x-amz-copy-source") != null ? Op.CopyObject : Op.PutObject;
      case "DELETE" -> c.has("uploadId") ? Op.AbortMultipartUpload : Op.DeleteObject;
      case "POST" -> c.has("uploads") ? Op.CreateMultipartUpload
          : c.has("uploadId") ? Op.CompleteMultipartUpload : Op.Unsupported;
      default -> Op.Unsupported;
    };
  }
}
