package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.Set;

/**
 * Range header parsing: for any header and file size the answer is a range inside the file, the whole
 * file, or a 400/416; never another exception and never a range outside the file.
 */
class RangeHeaderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyRangeHeaderIsAnsweredSafely(FuzzedDataProvider data) {
    long size = data.consumeLong(0, Long.MAX_VALUE / 2);
    String header = data.consumeRemainingAsString();
    try {
      ByteRange r = ByteRange.parse(header, size);
      if (r != null) {
        assertThat(r.first()).isBetween(0L, size - 1);
        assertThat(r.last()).isBetween(r.first(), size - 1);
        assertThat(r.length()).isPositive();
      }
    } catch (CairnException e) {
      assertThat(e.code()).isIn(Set.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.RANGE_NOT_SATISFIABLE));
      assertThat(e.getMessage().length()).isLessThan(200); // the header is never echoed in full
    }
  }
}
