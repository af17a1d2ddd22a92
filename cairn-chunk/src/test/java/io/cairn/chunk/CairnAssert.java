package io.cairn.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that code fails the Cairn way: a CairnException with a given code. */
final class CairnAssert {
  private CairnAssert() {}

  static AbstractThrowableAssert<?, ? extends Throwable> assertFails(ErrorCode code, ThrowingCallable call) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
