package io.cairn.meta;

import java.util.Objects;

/**
 * A user of the cluster as stored in the replicated metadata.
 *
 * @param name the login name (also the natural owner of buckets the user creates)
 * @param passwordHash an encoded slow password hash (format chosen by the server, opaque here); never the
 *     password itself
 * @param admin true for administrators, who see and manage every bucket and account
 * @param createdMillis when the account was created (chosen by the proposer)
 */
public record UserAccount(String name, String passwordHash, boolean admin, long createdMillis) {
  public UserAccount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
  }

  public UserAccount withPasswordHash(String hash) {
    return new UserAccount(name, hash, admin, createdMillis);
  }

  @Override
  public String toString() {
    return "UserAccount[" + name + (admin ? ", admin" : "") + "]"; // never the hash
  }
}
