package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/**
 * Turns whatever a Ratis call threw into the CairnException a caller can act on. Everything that means
 * "the cluster could not decide right now" is retryable: NO_LEADER when no leader could be reached or it
 * was changing, TIMEOUT when the deadline passed first.
 */
final class RatisErrors {
  private RatisErrors() {}

  static CairnException translate(String what, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CairnException ce) {
        return ce;
      }
    }
    ErrorCode code = classify(t);
    return new CairnException(code, what + " failed: " + describe(code, t), t);
  }

  private static ErrorCode classify(Throwable t) {
    boolean timedOut = false;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NotLeaderException || c instanceof LeaderNotReadyException
          || c instanceof LeaderSteppingDownException || c instanceof ServerNotReadyException) {
        return ErrorCode.NO_LEADER;
      }
      if (c instanceof StateMachineException) {
        return ErrorCode.INTERNAL;
      }
      if (c instanceof AlreadyClosedException) {
        return ErrorCode.UNAVAILABLE;
      }
      if (c instanceof ResourceUnavailableException) {
        return ErrorCode.OVERLOADED;
      }
      timedOut |= c instanceof TimeoutIOException || c instanceof TimeoutException
          || c instanceof InterruptedIOException || c instanceof ReadException || c instanceof ReadIndexException;
    }
    // Anything else is a transport failure: no leader was reachable.
    return timedOut ? ErrorCode.TIMEOUT : ErrorCode.NO_LEADER;
  }

  private static String describe(ErrorCode code, Throwable t) {
    String hint = switch (code) {
      case NO_LEADER -> "no metadata leader is reachable (is a majority of nodes up?)";
      case TIMEOUT -> "the metadata cluster did not answer in time";
      case OVERLOADED -> "the metadata leader is overloaded";
      case UNAVAILABLE -> "the metadata store is closed";
      default -> "metadata error";
    };
    return hint + " (" + t + ")";
  }
}
