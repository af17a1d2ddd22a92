package io.cairn.server.auth;

import io.cairn.meta.BucketInfo;
import java.util.Objects;

/**
 * Who a request acts for: an authenticated user, or the anonymous caller a loopback dev node lets in.
 *
 * <p><b>Access rule.</b> Admins and the dev-mode anonymous caller reach every bucket (anonymous is the
 * seeds' behaviour, allowed only when the node is bound to loopback or authentication is optional). A
 * user reaches exactly the buckets whose owner is their name. Unowned buckets (created anonymously) are
 * therefore admin-only once authentication is on.
 *
 * @param name the user's name; "anonymous" for the anonymous caller
 * @param admin whether this principal sees and manages everything
 * @param anonymous true for the unauthenticated dev-mode caller
 * @param via how the request authenticated ("basic", "bearer", "session", "s3", "none")
 */
public record Principal(String name, boolean admin, boolean anonymous, String via) {
  public static final Principal ANONYMOUS = new Principal("anonymous", false, true, "none");

  public Principal {
    Objects.requireNonNull(name, "name");
  }

  public static Principal user(String name, boolean admin, String via) {
    return new Principal(name, admin, false, via);
  }

  /** Whether this principal sees everything (admin, or the dev-mode anonymous caller). */
  public boolean unrestricted() {
    return admin || anonymous;
  }

  /** Whether this principal may list, read, write or delete in {@code bucket}. */
  public boolean mayAccess(BucketInfo bucket) {
    return unrestricted() || name.equals(bucket.owner());
  }

  /** The owner recorded on buckets this principal creates (null for anonymous). */
  public String ownerName() {
    return anonymous ? null : name;
  }
}
