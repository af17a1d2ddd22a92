package io.cairn.server.cli;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;

/** A failure of a client command, with the exit code it ends the process with. Never retried. */
final class CliException extends CairnException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, ErrorCode code, String message) {
    super(code, message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, ErrorCode.INVALID_ARGUMENT, message);
  }

  static CliException localIo(String message) {
    return new CliException(ExitCodes.LOCAL_IO, ErrorCode.INTERNAL, message);
  }

  static CliException unavailable(String message) {
    return new CliException(ExitCodes.UNAVAILABLE, ErrorCode.UNAVAILABLE, message);
  }
}
