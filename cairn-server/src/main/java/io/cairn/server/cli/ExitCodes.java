package io.cairn.server.cli;

import io.cairn.common.CairnException;

/** Exit codes scripts can rely on; the table is also printed in each command's help. */
final class ExitCodes {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int NOT_FOUND = 2;
  static final int CONFLICT = 3;
  static final int UNAVAILABLE = 4;
  static final int SERVER_ERROR = 5;
  static final int LOCAL_IO = 6;
  static final int UNAUTHORIZED = 7;
  static final int FORBIDDEN = 8;

  static final String[] HELP = {
      "0:ok", "1:usage error", "2:not found", "3:conflict (already exists)",
      "4:cluster unavailable (every endpoint failed or kept answering 503)", "5:other server error",
      "6:local I/O error",
      "7:not authenticated (missing or wrong credentials)", "8:forbidden (not your bucket, or admin only)"};

  private ExitCodes() {}

  /** For an HTTP error status that was not retried (503s are retried and end in UNAVAILABLE). */
  static int forStatus(int status) {
    return switch (status) {
      case 400, 413, 416 -> USAGE;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 409, 412 -> CONFLICT;
      case 502, 503, 504 -> UNAVAILABLE;
      default -> SERVER_ERROR;
    };
  }

  static int of(CairnException e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    return forStatus(e.code().httpStatus());
  }
}
