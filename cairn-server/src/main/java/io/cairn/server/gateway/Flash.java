package io.cairn.server.gateway;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One-shot messages across the seed app's post/redirect/get: the upload route sets a short-lived
 * cookie, the index page shows it once and clears it. Also remembers the last username so the page
 * after an upload lists that user's files.
 */
final class Flash {
  static final String COOKIE = "cairn_flash";
  static final String USER_COOKIE = "cairn_user";
  private static final int FLASH_MAX_AGE_SECS = 60;
  private static final int USER_MAX_AGE_SECS = 30 * 24 * 3600;

  /** A flash as read back: {@code error} decides its colour. */
  record Message(boolean error, String text) {}

  private Flash() {}

  static void set(Context ctx, boolean error, String text) {
    cookie(ctx, COOKIE, (error ? "e:" : "i:") + text, FLASH_MAX_AGE_SECS, true);
    if (error) {
      // The form routes answer 302 whatever happened; tell the metrics this one failed.
      ctx.attribute(io.cairn.server.metrics.HttpMetrics.OUTCOME_ATTRIBUTE, "failed");
    }
  }

  static void rememberUser(Context ctx, String username) {
    cookie(ctx, USER_COOKIE, username, USER_MAX_AGE_SECS, false);
  }

  /** The pending flash, cleared so a reload does not show it again; null when there is none. */
  static Message take(Context ctx) {
    String raw = ctx.cookie(COOKIE);
    if (raw == null || raw.length() < 2) {
      return null;
    }
    cookie(ctx, COOKIE, "", 0, true);
    String text = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    return new Message(text.startsWith("e:"), text.substring(2));
  }

  static String rememberedUser(Context ctx) {
    String raw = ctx.cookie(USER_COOKIE);
    return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static void cookie(Context ctx, String name, String value, int maxAgeSecs, boolean httpOnly) {
    // Encoded so any message fits a cookie value (no spaces, quotes, commas or semicolons).
    String v = URLEncoder.encode(value, StandardCharsets.UTF_8);
    ctx.res().addHeader("Set-Cookie", name + "=" + v + "; Max-Age=" + maxAgeSecs + "; Path=/; SameSite=Lax"
        + (httpOnly ? "; HttpOnly" : ""));
  }
}
