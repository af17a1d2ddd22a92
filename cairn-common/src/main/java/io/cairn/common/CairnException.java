package io.cairn.common;

/**
 * The one unchecked exception type Cairn's public APIs throw. It carries an {@link ErrorCode}; whether
 * a retry is safe is {@link ErrorCode#retryable()}.
 */
public class CairnException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public CairnException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public CairnException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  public static CairnException invalid(String message) {
    return new CairnException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** Finds the first CairnException in a cause chain, or wraps the failure as INTERNAL. */
  public static CairnException unwrap(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CairnException ce) {
        return ce;
      }
    }
    return new CairnException(ErrorCode.INTERNAL, String.valueOf(t), t);
  }
}
