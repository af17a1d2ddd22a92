package io.cairn.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.cluster.Heartbeat;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.Json;
import java.util.Set;

/** JSON request bodies: any bytes either parse or are a 400/413 with a short message. */
class JsonBodyFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyBodyIsParsedOrRefusedWithA4xx(byte[] body) {
    for (Class<?> type : new Class<?>[] {Heartbeat.class, FileRecord.class}) {
      try {
        assertThat(Json.readRequest(body, type, 64 * 1024)).isNotNull();
      } catch (CairnException e) {
        assertThat(e.code()).isIn(Set.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.PAYLOAD_TOO_LARGE));
        assertThat(e.getMessage().length()).isLessThan(400);
      }
    }
  }
}
