package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;

class RatisErrorsTest {
  @Test
  void clusterTroubleIsRetryable() {
    assertThat(code(new TimeoutIOException("slow"))).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(code(new IOException("wrapped", new ConnectException("refused")))).isEqualTo(ErrorCode.NO_LEADER);
    assertThat(code(new RaftRetryFailureException(null, 3, null, new TimeoutIOException("late"))))
        .isEqualTo(ErrorCode.TIMEOUT);
    assertThat(code(new AlreadyClosedException("closed"))).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(RatisErrors.translate("x", new TimeoutIOException("slow")).retryable()).isTrue();
  }

  @Test
  void stateMachineFailureIsInternalAndCairnErrorsPassThrough() {
    assertThat(code(new StateMachineException("boom"))).isEqualTo(ErrorCode.INTERNAL);
    CairnException own = new CairnException(ErrorCode.NO_SUCH_BUCKET, "no bucket");
    assertThat(RatisErrors.translate("x", new IOException(own))).isSameAs(own);
  }

  private static ErrorCode code(Throwable t) {
    return RatisErrors.translate("PutFile", t).code();
  }
}
