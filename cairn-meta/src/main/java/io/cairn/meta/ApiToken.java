package io.cairn.meta;

import java.util.Objects;

/**
 * A bearer token of a user. Only a hash of the token's secret is stored: a copy of the metadata (a
 * snapshot, a backup) does not let anyone authenticate.
 *
 * @param id the public part of the token, also its handle for revocation
 * @param user the owning user's name
 * @param secretHash hash of the secret part (format chosen by the server, opaque here)
 * @param label free text to tell tokens apart (may be empty)
 * @param createdMillis when it was created (chosen by the proposer)
 */
public record ApiToken(String id, String user, String secretHash, String label, long createdMillis) {
  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secretHash, "secretHash");
    label = label == null ? "" : label;
  }

  @Override
  public String toString() {
    return "ApiToken[" + id + " of " + user + "]";
  }
}
