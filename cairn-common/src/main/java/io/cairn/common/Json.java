package io.cairn.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The one JSON mapper. Unknown fields are ignored so newer nodes can add fields. */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  private Json() {}

  public static byte[] write(Object o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeString(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String s, Class<T> type) {
    try {
      return MAPPER.readValue(s, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request body (at most 1 MiB) that must be a JSON object; anything else is a 400, not a 500. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readObject(String body) {
    return readRequest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.class, 1 << 20);
  }

  /** A string field of {@link #readObject} output: null when absent and optional; a 400 naming it else. */
  public static String stringField(Map<String, Object> object, String field, boolean required) {
    Object v = object.get(field);
    if (v == null && required) {
      throw CairnException.invalid("missing field '" + field + "'");
    }
    if (v != null && !(v instanceof String)) {
      throw CairnException.invalid("field '" + field + "' must be a string");
    }
    return (String) v;
  }

  /**
   * Parses a request body of at most {@code maxBytes} bytes as {@code type}. Anything else (too big, not
   * JSON, wrong shape, too deeply nested) is INVALID_ARGUMENT with a short reason, never a 500.
   */
  public static <T> T readRequest(byte[] bytes, Class<T> type, int maxBytes) {
    if (bytes == null || bytes.length == 0) {
      throw CairnException.invalid("request body must be a JSON " + type.getSimpleName());
    }
    if (bytes.length > maxBytes) {
      throw new CairnException(ErrorCode.PAYLOAD_TOO_LARGE, "JSON body of " + bytes.length
          + " bytes exceeds " + maxBytes);
    }
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw CairnException.invalid("request body must be a JSON " + type.getSimpleName() + ", was null");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CairnException c) {
        throw c;
      }
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getClass().getSimpleName();
      throw CairnException.invalid("request body is not a valid JSON " + type.getSimpleName() + ": "
          + shorten(String.valueOf(why), 200));
    }
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
