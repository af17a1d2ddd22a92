package io.cairn.server.s3;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One S3 request: addressing (bucket and key, path- or virtual-hosted-style), query, headers and body. */
final class S3Call {
  final Context ctx;
  final String method;
  final String rawPath;
  final String rawQuery;
  final String bucket;
  /** Which buckets ListBuckets shows (all by default; the owner's only for a restricted principal). */
  java.util.function.Predicate<String> visibleBucket = b -> true;
  /** Creates a bucket for CreateBucket; null = plain creation without an owner. */
  java.util.function.Predicate<String> bucketCreator;
  final String key;
  final Map<String, String> query;
  final Map<String, List<String>> headers;
  final String requestId;
  SigV4.Verified auth;

  private S3Call(Context ctx, String bucket, String key, Map<String, List<String>> headers, String requestId) {
    this.ctx = ctx;
    this.method = ctx.req().getMethod().toUpperCase(Locale.ROOT);
    this.rawPath = ctx.req().getRequestURI();
    this.rawQuery = ctx.req().getQueryString();
    this.bucket = bucket;
    this.key = key;
    this.query = SigV4.rawQueryParams(rawQuery);
    this.headers = headers;
    this.requestId = requestId;
  }

  static S3Call of(Context ctx, List<String> domains, String requestId) {
    Map<String, List<String>> headers = new TreeMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
          .addAll(Collections.list(ctx.req().getHeaders(name)));
    }
    String raw = ctx.req().getRequestURI();
    String path = SigV4.percentDecode(raw == null ? "/" : raw, false);
    String host = first(headers, "host");
    String vhostBucket = null;
    if (host != null) {
      String h = host.toLowerCase(Locale.ROOT);
      int colon = h.lastIndexOf(':');
      if (colon > 0 && h.indexOf(']') < colon) {
        h = h.substring(0, colon);
      }
      for (String d : domains) {
        if (h.endsWith("." + d) && h.length() > d.length() + 1) {
          vhostBucket = h.substring(0, h.length() - d.length() - 1);
          break;
        }
      }
    }
    String rest = path.startsWith("/") ? path.substring(1) : path;
    String bucket;
    String key;
    if (vhostBucket != null) {
      bucket = vhostBucket;
      key = rest;
    } else {
      int slash = rest.indexOf('/');
      bucket = slash < 0 ? rest : rest.substring(0, slash);
      key = slash < 0 ? "" : rest.substring(slash + 1);
    }
    return new S3Call(ctx, bucket.isEmpty() ? null : bucket, key.isEmpty() ? null : key, headers, requestId);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  String header(String name) {
    return first(headers, name);
  }

  boolean has(String queryParam) {
    return query.containsKey(queryParam);
  }

  String q(String name) {
    return query.get(name);
  }

  SigV4.Request signable() {
    return new SigV4.Request(method, rawPath, rawQuery, headers);
  }

  InputStream rawBody() {
    try {
      return ctx.req().getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Content-Length header, or -1. */
  long contentLength() {
    String v = header("content-length");
    try {
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void header(String name, String value) {
    if (value != null) {
      ctx.res().setHeader(name, value);
    }
  }

  void xml(int status, String xml) {
    byte[] b = xml.getBytes(StandardCharsets.UTF_8);
    ctx.status(status);
    ctx.res().setContentType("application/xml");
    ctx.res().setContentLengthLong(b.length);
    try {
      OutputStream out = ctx.res().getOutputStream();
      out.write(b);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void empty(int status) {
    ctx.status(status);
    ctx.res().setContentLengthLong(0);
  }

  /** Bucket and key as a resource path for error documents. */
  String resource() {
    return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
  }
}
