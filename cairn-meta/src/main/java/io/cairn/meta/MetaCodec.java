package io.cairn.meta;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Json;
import io.cairn.common.NodeState;
import java.io.IOException;
import java.util.Arrays;

/**
 * Bytes of ops, results and stored values. An op or result is one format byte followed by JSON; the
 * byte lets a later release change the encoding while old log entries and snapshots stay readable.
 * Stored values (files, buckets, nodes in RocksDB) are plain JSON: Jackson ignores unknown fields, so
 * adding a field is compatible both ways.
 *
 * <p>Node states are written as their stable {@link NodeState#code()}, never the enum name or ordinal.
 */
final class MetaCodec {
  static final byte FORMAT_V1 = 1;

  /** Json.MAPPER's settings plus the node-state mapping; a copy so other modules are unaffected. */
  static final ObjectMapper MAPPER = Json.MAPPER.copy().addMixIn(NodeState.class, NodeStateAsCode.class);

  private MetaCodec() {}

  static byte[] encodeOp(MetaOp op) {
    return framed(op, MetaOp.class);
  }

  static MetaOp decodeOp(byte[] bytes) {
    return unframed(bytes, MetaOp.class);
  }

  static byte[] encodeResult(MetaResult result) {
    return framed(result, MetaResult.class);
  }

  static MetaResult decodeResult(byte[] bytes) {
    return unframed(bytes, MetaResult.class);
  }

  static byte[] value(Object o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot encode " + o.getClass().getSimpleName(), e);
    }
  }

  static <T> T value(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "corrupt stored " + type.getSimpleName() + ": " + e, e);
    }
  }

  private static byte[] framed(Object o, Class<?> base) {
    try {
      byte[] json = MAPPER.writerFor(base).writeValueAsBytes(o);
      byte[] out = new byte[json.length + 1];
      out[0] = FORMAT_V1;
      System.arraycopy(json, 0, out, 1, json.length);
      return out;
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot encode " + o, e);
    }
  }

  private static <T> T unframed(byte[] bytes, Class<T> base) {
    if (bytes == null || bytes.length < 2) {
      throw CairnException.invalid("empty " + base.getSimpleName());
    }
    if (bytes[0] != FORMAT_V1) {
      // A newer node wrote this; failing loudly beats guessing at a format we do not know.
      throw new CairnException(ErrorCode.INTERNAL,
          "unknown " + base.getSimpleName() + " format " + bytes[0] + " (this node understands " + FORMAT_V1 + ")");
    }
    try {
      return MAPPER.readValue(Arrays.copyOfRange(bytes, 1, bytes.length), base);
    } catch (IOException e) {
      throw CairnException.invalid("undecodable " + base.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Jackson mix-in: a NodeState is its code. */
  abstract static class NodeStateAsCode {
    @JsonValue
    abstract int code();

    @JsonCreator
    static NodeState ofCode(int code) {
      return NodeState.ofCode(code);
    }
  }
}
