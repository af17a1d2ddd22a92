package io.cairn.server.auth;

import java.util.Locale;

/**
 * Whether a node lets unauthenticated requests in. Credentials that are presented are always checked:
 * wrong ones get 401 in both modes, never anonymous access.
 */
public enum AuthMode {
  /** Anonymous requests act with full access, like the seeds (dev clusters on loopback only). */
  OPTIONAL,
  /** Every request outside the public probes must authenticate; anonymous ones get 401. */
  REQUIRED;

  public static AuthMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--auth must be 'optional' or 'required', was '" + s + "'");
    }
  }
}
