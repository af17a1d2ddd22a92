package io.cairn.server.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 verification, in the Authorization header and in presigned URLs.
 *
 * <p>The canonical request is rebuilt from the raw request line: the path is percent-decoded and
 * encoded again the way S3 signs it (once, '/' kept), query parameters likewise and sorted. Signatures
 * are compared in constant time. Requests more than {@link #MAX_SKEW} away from this node's clock are
 * refused; presigned URLs are refused after their {@code X-Amz-Expires}.
 */
public final class SigV4 {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private SigV4() {}

  /**
   * What the verifier needs of a request.
   *
   * @param method HTTP method
   * @param rawPath the path as sent (still percent-encoded)
   * @param rawQuery the query string as sent, or null
   * @param headers header values by lower-case name
   */
  public record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /**
   * A verified request.
   *
   * @param accessKey the access key id that signed it
   * @param signingKey derived key, for chunk signatures
   * @param scope credential scope (date/region/service/aws4_request)
   * @param amzDate request time as {@code yyyyMMddTHHmmssZ}
   * @param signature the request signature (seed of chunk signatures)
   * @param payload the declared payload: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* mode
   * @param presigned whether the signature came in the query string
   */
  public record Verified(String accessKey, byte[] signingKey, String scope, String amzDate, String signature,
      String payload, boolean presigned) {}

  /** Verifies the request's signature; throws {@link S3Exception} with the S3 error code otherwise. */
  public static Verified verify(Request req, S3Credentials creds, Clock clock) {
    String auth = req.header("authorization");
    Map<String, String> query = rawQueryParams(req.rawQuery());
    if (auth == null && query.containsKey("X-Amz-Algorithm")) {
      return verifyPresigned(req, query, creds, clock);
    }
    if (auth == null) {
      throw S3Exception.accessDenied("Anonymous access is not allowed; sign requests with AWS Signature Version 4");
    }
    if (!auth.startsWith(ALGORITHM + " ")) {
      if (auth.startsWith("AWS ")) {
        throw new S3Exception(400, "InvalidRequest",
            "AWS Signature Version 2 is not supported; use AWS4-HMAC-SHA256");
      }
      throw new S3Exception(400, "AuthorizationHeaderMalformed", "Unsupported authorization type");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      throw new S3Exception(400, "AuthorizationHeaderMalformed",
          "The authorization header is malformed; Credential, SignedHeaders and Signature are required");
    }
    String amzDate = req.header("x-amz-date");
    if (amzDate == null && req.header("date") != null) {
      try {
        amzDate = AMZ_DATE.format(ZonedDateTime.parse(req.header("date"), DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e) {
        amzDate = null;
      }
    }
    if (amzDate == null) {
      throw S3Exception.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
    }
    Instant time = parseAmzDate(amzDate, 403, "AccessDenied");
    checkSkew(time, clock);
    String payload = req.header("x-amz-content-sha256");
    if (payload == null) {
      throw new S3Exception(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    }
    Scope scope = scope(credential, amzDate, 400, "AuthorizationHeaderMalformed");
    String secret = creds.secretFor(scope.accessKey).orElseThrow(() -> new S3Exception(403, "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records."));
    byte[] key = signingKey(secret, scope.date, scope.region, scope.service);
    String canonical = canonicalRequest(req, signedHeaders, canonicalQuery(req.rawQuery(), null), payload);
    check(key, scope, amzDate, canonical, signature);
    return new Verified(scope.accessKey, key, scope.value(), amzDate, signature, payload, false);
  }

  private static Verified verifyPresigned(Request req, Map<String, String> q, S3Credentials creds, Clock clock) {
    if (!ALGORITHM.equals(q.get("X-Amz-Algorithm"))) {
      throw new S3Exception(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be " + ALGORITHM);
    }
    String credential = q.get("X-Amz-Credential");
    String amzDate = q.get("X-Amz-Date");
    String expires = q.get("X-Amz-Expires");
    String signedHeaders = q.get("X-Amz-SignedHeaders");
    String signature = q.get("X-Amz-Signature");
    if (credential == null || amzDate == null || expires == null || signedHeaders == null || signature == null) {
      throw new S3Exception(400, "AuthorizationQueryParametersError",
          "Query-string authentication requires X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders"
              + " and X-Amz-Signature");
    }
    Instant time = parseAmzDate(amzDate, 400, "AuthorizationQueryParametersError");
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw new S3Exception(400, "AuthorizationQueryParametersError",
          "X-Amz-Expires must be between 1 and " + MAX_PRESIGN_SECONDS + " seconds");
    }
    Instant now = clock.instant();
    if (time.isAfter(now.plus(MAX_SKEW))) {
      throw new S3Exception(403, "RequestTimeTooSkewed",
          "The difference between the request time and the server's time is too large.");
    }
    if (now.isAfter(time.plusSeconds(seconds))) {
      throw S3Exception.accessDenied("Request has expired");
    }
    Scope scope = scope(credential, amzDate, 400, "AuthorizationQueryParametersError");
    String secret = creds.secretFor(scope.accessKey).orElseThrow(() -> new S3Exception(403, "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records."));
    byte[] key = signingKey(secret, scope.date, scope.region, scope.service);
    String payload = q.getOrDefault("X-Amz-Content-Sha256", UNSIGNED_PAYLOAD);
    String canonical = canonicalRequest(req, signedHeaders, canonicalQuery(req.rawQuery(), "X-Amz-Signature"),
        payload);
    check(key, scope, amzDate, canonical, signature);
    return new Verified(scope.accessKey, key, scope.value(), amzDate, signature, UNSIGNED_PAYLOAD, true);
  }

  private static void check(byte[] key, Scope scope, String amzDate, String canonical, String signature) {
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope.value() + "\n" + sha256Hex(utf8(canonical));
    String expected = HexFormat.of().formatHex(hmac(key, toSign));
    if (!constantTimeEquals(expected, signature)) {
      throw new S3Exception(403, "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided. Check your key and"
              + " signing method.");
    }
  }

  private record Scope(String accessKey, String date, String region, String service) {
    String value() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }
  }

  private static Scope scope(String credential, String amzDate, int status, String code) {
    String[] c = credential.split("/");
    if (c.length != 5 || !c[4].equals("aws4_request")) {
      throw new S3Exception(status, code, "Credential must be <key>/<date>/<region>/s3/aws4_request");
    }
    if (!c[3].equals("s3")) {
      throw new S3Exception(status, code, "Credential service must be 's3', was '" + c[3] + "'");
    }
    if (!amzDate.startsWith(c[1])) {
      throw new S3Exception(status, code, "Credential date " + c[1] + " does not match the request date");
    }
    return new Scope(c[0], c[1], c[2], c[3]);
  }

  private static Instant parseAmzDate(String amzDate, int status, String code) {
    try {
      return ZonedDateTime.parse(amzDate, AMZ_DATE).toInstant();
    } catch (DateTimeParseException e) {
      throw new S3Exception(status, code, "Invalid date '" + amzDate + "': expected yyyyMMddTHHmmssZ");
    }
  }

  private static void checkSkew(Instant time, Clock clock) {
    Duration d = Duration.between(time, clock.instant()).abs();
    if (d.compareTo(MAX_SKEW) > 0) {
      throw new S3Exception(403, "RequestTimeTooSkewed",
          "The difference between the request time and the server's time is too large.");
    }
  }

  static String canonicalRequest(Request req, String signedHeaders, String canonicalQuery, String payload) {
    StringBuilder sb = new StringBuilder();
    sb.append(req.method()).append('\n');
    sb.append(canonicalUri(req.rawPath())).append('\n');
    sb.append(canonicalQuery).append('\n');
    for (String name : signedHeaders.split(";")) {
      List<String> values = req.headers().get(name.toLowerCase(Locale.ROOT));
      if (values == null) {
        throw S3Exception.accessDenied("Signed header '" + name + "' is missing from the request");
      }
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.trim().replaceAll(" +", " "));
      }
      sb.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", trimmed)).append('\n');
    }
    sb.append('\n').append(signedHeaders.toLowerCase(Locale.ROOT)).append('\n').append(payload);
    return sb.toString();
  }

  /** The path decoded once and encoded the S3 way ('/' kept, everything but unreserved escaped). */
  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    return uriEncode(percentDecode(rawPath, false), false);
  }

  /** Parameters sorted by encoded name then value, {@code skip} (e.g. X-Amz-Signature) left out. */
  static String canonicalQuery(String rawQuery, String skip) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = percentDecode(eq < 0 ? p : p.substring(0, eq), false);
      String v = eq < 0 ? "" : percentDecode(p.substring(eq + 1), false);
      if (k.equals(skip)) {
        continue;
      }
      pairs.add(new String[] {uriEncode(k, true), uriEncode(v, true)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /** Decoded query parameters (first value of each name); '+' is a literal plus, as S3 clients encode. */
  static Map<String, String> rawQueryParams(String rawQuery) {
    Map<String, String> out = new TreeMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      out.putIfAbsent(percentDecode(eq < 0 ? p : p.substring(0, eq), false),
          eq < 0 ? "" : percentDecode(p.substring(eq + 1), false));
    }
    return out;
  }

  /** RFC 3986 percent-encoding of UTF-8 bytes; unreserved characters stay, '/' too unless {@code slash}. */
  static String uriEncode(String s, boolean encodeSlash) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
          || c == '~' || c == '/' && !encodeSlash) {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Decodes %XX escapes (as UTF-8); {@code plusIsSpace} for form encoding. Bad escapes stay as they are. */
  static String percentDecode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] k = hmac(utf8("AWS4" + secret), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  /** The signature of one aws-chunked chunk, chained on the previous one. */
  static String chunkSignature(Verified v, String previous, String chunkSha256Hex) {
    String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + v.amzDate() + "\n" + v.scope() + "\n" + previous + "\n"
        + EMPTY_SHA256 + "\n" + chunkSha256Hex;
    return HexFormat.of().formatHex(hmac(v.signingKey(), toSign));
  }

  /** The signature of the trailing headers of a signed aws-chunked body. */
  static String trailerSignature(Verified v, String previous, String trailerSha256Hex) {
    String toSign = "AWS4-HMAC-SHA256-TRAILER\n" + v.amzDate() + "\n" + v.scope() + "\n" + previous + "\n"
        + trailerSha256Hex;
    return HexFormat.of().formatHex(hmac(v.signingKey(), toSign));
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(utf8(data));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean constantTimeEquals(String expected, String given) {
    return given != null && MessageDigest.isEqual(utf8(expected), utf8(given.toLowerCase(Locale.ROOT)));
  }

  static String amzDate(Instant t) {
    return AMZ_DATE.format(t);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
