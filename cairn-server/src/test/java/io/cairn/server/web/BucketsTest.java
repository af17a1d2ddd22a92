package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BucketsTest {
  private static Buckets of(double sum, double... leAndCumulative) {
    TreeMap<Double, Double> m = new TreeMap<>();
    for (int i = 0; i < leAndCumulative.length; i += 2) {
      m.put(leAndCumulative[i], leAndCumulative[i + 1]);
    }
    return new Buckets(m, sum, m.lastEntry().getValue());
  }

  @Test
  void quantileInterpolatesInsideTheBucketLikePrometheus() {
    // 100 observations: 50 in (0, 0.1], 50 in (0.1, 0.5]. Rank 95 is 45/50 into the second bucket.
    Buckets b = of(10, 0.1, 50, 0.5, 100, Double.POSITIVE_INFINITY, 100);
    assertThat(b.quantile(0.95)).isCloseTo(0.1 + 0.4 * 45 / 50, within(1e-12));
    assertThat(b.quantile(0.5)).isCloseTo(0.1, within(1e-12));
    assertThat(b.mean()).isEqualTo(0.1);
  }

  @Test
  void quantileInTheOpenBucketIsTheHighestFiniteBound() {
    Buckets b = of(1000, 1, 1, 10, 2, Double.POSITIVE_INFINITY, 100);
    assertThat(b.quantile(0.95)).isEqualTo(10);
  }

  @Test
  void emptyHistogramHasNoQuantileOrMean() {
    assertThat(Buckets.EMPTY.quantile(0.95)).isNull();
    assertThat(Buckets.EMPTY.mean()).isNull();
  }

  @Test
  void plusAndMinusWorkPerBucket() {
    Buckets a = of(1, 0.1, 1, Double.POSITIVE_INFINITY, 2);
    Buckets b = of(3, 0.1, 2, Double.POSITIVE_INFINITY, 5);
    Buckets sum = a.plus(b);
    assertThat(sum.cumulative().get(0.1)).isEqualTo(3);
    assertThat(sum.count()).isEqualTo(7);
    Buckets diff = sum.minus(a);
    assertThat(diff.cumulative()).isEqualTo(b.cumulative());
    assertThat(diff.perBucket().get(Double.POSITIVE_INFINITY)).isEqualTo(3);
  }
}
