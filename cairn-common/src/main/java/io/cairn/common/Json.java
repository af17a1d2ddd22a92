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

  /** A request body that must be a JSON object; anything else is INVALID_ARGUMENT (a 400), not a 500. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readObject(String body) {
    Object o;
    try {
      o = MAPPER.readValue(body, Object.class);
    } catch (JsonProcessingException e) {
      throw CairnException.invalid("the body must be a JSON object: " + e.getOriginalMessage());
    }
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw CairnException.invalid("the body must be a JSON object");
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
}
