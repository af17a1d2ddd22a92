package io.cairn.server.web;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the seed routes' one-shot message (cookie {@code cairn_flash}, set by {@code POST /upload}
 * before its redirect to {@code /}) and the remembered username ({@code cairn_user}). The cookie is
 * HttpOnly, so only the server can show it: the page renders it and clears it so a reload does not
 * show it again. Format: URL-encoded {@code "i:" | "e:"} (info or error) followed by the text.
 */
final class FlashCookie {
  static final String FLASH = "cairn_flash";
  static final String USER = "cairn_user";

  record Message(boolean error, String text) {}

  private FlashCookie() {}

  /** The pending message, cleared in the response; null when there is none. */
  static Message take(Context ctx) {
    String raw = ctx.cookie(FLASH);
    if (raw == null || raw.length() < 2) {
      return null;
    }
    ctx.res().addHeader("Set-Cookie", FLASH + "=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly");
    String text = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    if (text.length() < 2 || text.charAt(1) != ':') {
      return new Message(false, text);
    }
    return new Message(text.startsWith("e:"), text.substring(2));
  }

  static String rememberedUser(Context ctx) {
    String raw = ctx.cookie(USER);
    return raw == null || raw.isBlank() ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }
}
