package io.cairn.server.s3;

/** A failure answered as an S3 XML error: HTTP status, S3 error code and message. */
public final class S3Exception extends RuntimeException {
  private final int status;
  private final String code;

  public S3Exception(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static S3Exception accessDenied(String message) {
    return new S3Exception(403, "AccessDenied", message);
  }

  static S3Exception invalidArgument(String message) {
    return new S3Exception(400, "InvalidArgument", message);
  }

  static S3Exception invalidRequest(String message) {
    return new S3Exception(400, "InvalidRequest", message);
  }

  static S3Exception malformedXml(String message) {
    return new S3Exception(400, "MalformedXML", message);
  }

  static S3Exception noSuchBucket(String bucket) {
    return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist: " + bucket);
  }

  static S3Exception noSuchKey(String key) {
    return new S3Exception(404, "NoSuchKey", "The specified key does not exist: " + key);
  }

  static S3Exception noSuchUpload(String uploadId) {
    return new S3Exception(404, "NoSuchUpload", "The specified multipart upload does not exist: " + uploadId);
  }

  static S3Exception notImplemented(String what) {
    return new S3Exception(501, "NotImplemented", what + " is not implemented by Cairn");
  }
}
