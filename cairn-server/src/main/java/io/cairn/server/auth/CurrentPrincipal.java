package io.cairn.server.auth;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;

/**
 * The principal of the request running on this thread. Javalin runs each request on its own virtual
 * thread; the authenticator sets the principal before any handler and clears it afterwards. Code that
 * reaches {@link OwnedFileService} without one fails closed (INTERNAL), so a route that skipped
 * authentication cannot get silent full access.
 */
public final class CurrentPrincipal {
  private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

  private CurrentPrincipal() {}

  public static void set(Principal p) {
    CURRENT.set(p);
  }

  public static void clear() {
    CURRENT.remove();
  }

  /** The request's principal; INTERNAL when none was set (a bug: fail closed). */
  public static Principal require() {
    Principal p = CURRENT.get();
    if (p == null) {
      throw new CairnException(ErrorCode.INTERNAL, "no authenticated principal on this request");
    }
    return p;
  }

  /**
   * {@code task} bound to this thread's principal, for work a request hands to another thread (the
   * principal is thread-local, so without this the other thread's file calls fail closed). Without a
   * principal (a gateway with no authenticator, as in tests) the task runs as it is.
   */
  public static Runnable carry(Runnable task) {
    Principal p = orNull();
    if (p == null) {
      return task;
    }
    return () -> {
      set(p);
      try {
        task.run();
      } finally {
        clear();
      }
    };
  }

  /** The request's principal, or null outside a request. */
  public static Principal orNull() {
    return CURRENT.get();
  }
}
