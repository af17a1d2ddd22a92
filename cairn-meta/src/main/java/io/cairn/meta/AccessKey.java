package io.cairn.meta;

import java.util.Objects;

/**
 * An S3 access-key pair of a user. SigV4 verification needs the secret itself, so it cannot be hashed;
 * it is stored sealed (encrypted) under a key derived from the cluster master key.
 *
 * @param id the access key id clients send
 * @param user the owning user's name
 * @param sealedSecret the secret access key, encrypted by the server (opaque here)
 * @param createdMillis when it was created (chosen by the proposer)
 */
public record AccessKey(String id, String user, String sealedSecret, long createdMillis) {
  public AccessKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(sealedSecret, "sealedSecret");
  }

  @Override
  public String toString() {
    return "AccessKey[" + id + " of " + user + "]";
  }
}
