package io.cairn.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Names;
import java.nio.charset.StandardCharsets;

/** Bucket and key validation: accepted names keep every rule; everything else is a 400, nothing else. */
class NamesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void keysThatPassAreSafe(String key) {
    try {
      Names.checkKey(key);
    } catch (CairnException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      return;
    }
    assertThat(key.getBytes(StandardCharsets.UTF_8).length).isBetween(1, Names.MAX_KEY_BYTES);
    assertThat(key).doesNotStartWith("/");
    assertThat(key.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
    for (String seg : key.split("[/\\\\]", -1)) {
      assertThat(seg).isNotIn(".", "..");
    }
  }

  @FuzzTest(maxDuration = "10s")
  void bucketsThatPassAreSafe(String bucket) {
    try {
      Names.checkBucket(bucket);
    } catch (CairnException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      return;
    }
    assertThat(bucket).hasSizeBetween(1, 63).matches("[a-z0-9][a-z0-9._-]*");
  }
}
