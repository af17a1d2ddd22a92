package io.cairn.server.gateway;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.server.auth.CurrentPrincipal;
import io.cairn.server.auth.Principal;

/**
 * The seed routes' {@code username} names a bucket. A logged-in user may only name their own (their
 * user name); admins and the dev-mode anonymous caller may name any. Checked before anything is read or
 * stored, so a refused request changes nothing.
 */
final class SeedUser {
  private SeedUser() {}

  static String check(String username) {
    // No principal: a gateway built without an authenticator (tests of the routes alone). A node always
    // installs one, and its file service (OwnedFileService) fails closed without a principal anyway.
    Principal p = CurrentPrincipal.orNull();
    if (p != null && !p.unrestricted() && !p.name().equals(username)) {
      throw new CairnException(ErrorCode.FORBIDDEN,
          "username '" + username + "' is not the logged-in user (" + p.name() + ")");
    }
    return username;
  }

  static boolean isAccessError(CairnException e) {
    return e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.UNAUTHORIZED;
  }
}
