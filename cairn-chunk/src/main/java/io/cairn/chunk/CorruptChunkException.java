package io.cairn.chunk;

/**
 * A chunk file that cannot be trusted. Checked and package-private on purpose: it must be handled
 * (quarantine, then CHECKSUM_MISMATCH) before anything leaves the store.
 */
final class CorruptChunkException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long accountedBytes;

  /**
   * @param accountedBytes best guess of the payload bytes the store counted as used for this file: the
   *     header's length when the header is intact (a truncated file was counted whole when written),
   *     otherwise the file's size minus the header
   */
  CorruptChunkException(String reason, long accountedBytes) {
    super(reason, null, false, false);
    this.accountedBytes = accountedBytes;
  }

  long accountedBytes() {
    return accountedBytes;
  }
}
