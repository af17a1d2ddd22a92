package io.cairn.common;

/**
 * Every failure Cairn reports to a client. The gateway maps a code to an HTTP status (and later an S3
 * error code) in one place; the rest of the code only names the code.
 *
 * <p>{@link #retryable()} tells clients (the CLI, the gateway's own peer calls) whether sending the
 * same request again, possibly to another node, is safe and may succeed.
 */
public enum ErrorCode {
  INVALID_ARGUMENT(400, "InvalidArgument", false),
  BAD_DIGEST(400, "BadDigest", false),
  UNAUTHORIZED(401, "AccessDenied", false),
  FORBIDDEN(403, "AccessDenied", false),
  NO_SUCH_BUCKET(404, "NoSuchBucket", false),
  NO_SUCH_KEY(404, "NoSuchKey", false),
  NOT_FOUND(404, "NotFound", false),
  ALREADY_EXISTS(409, "FileAlreadyExists", false),
  BUCKET_NOT_EMPTY(409, "BucketNotEmpty", false),
  PRECONDITION_FAILED(412, "PreconditionFailed", false),
  PAYLOAD_TOO_LARGE(413, "EntityTooLarge", false),
  RANGE_NOT_SATISFIABLE(416, "InvalidRange", false),
  CHECKSUM_MISMATCH(500, "InternalError", true),
  INTERNAL(500, "InternalError", true),
  NOT_LEADER(503, "ServiceUnavailable", true),
  NO_LEADER(503, "ServiceUnavailable", true),
  INSUFFICIENT_REPLICAS(503, "ServiceUnavailable", true),
  OVERLOADED(503, "SlowDown", true),
  UNAVAILABLE(503, "ServiceUnavailable", true),
  INSUFFICIENT_STORAGE(507, "InsufficientStorage", true),
  TIMEOUT(504, "RequestTimeout", true);

  private final int httpStatus;
  private final String s3Code;
  private final boolean retryable;

  ErrorCode(int httpStatus, String s3Code, boolean retryable) {
    this.httpStatus = httpStatus;
    this.s3Code = s3Code;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String s3Code() {
    return s3Code;
  }

  public boolean retryable() {
    return retryable;
  }
}
