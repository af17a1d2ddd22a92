package io.cairn.bench.micro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks of the hot path on one thread (so MB/s is per core) and returns, per benchmark,
 * MB/s for each measurement iteration. A full run forks a JVM per benchmark as JMH intends; smoke runs
 * in-process with one short iteration.
 */
public final class Micro {
  private Micro() {}

  /** One benchmark's MB/s per measured iteration. */
  public record Score(String name, int chunkBytes, List<Double> mbPerSecond) {}

  public static List<Score> run(boolean smoke) throws Exception {
    OptionsBuilder opts = new OptionsBuilder();
    opts.include(ChunkHotPath.class.getName() + "\\.").include(ChunkWrite.class.getName() + "\\.")
        .threads(1)
        .forks(smoke ? 0 : 1);
    if (smoke) {
      // Only that it runs; warm-up and iterations otherwise come from each benchmark's annotations.
      opts.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(500))
          .verbosity(VerboseMode.SILENT);
    }
    opts.jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Xmx512m")
        .shouldFailOnError(true);
    Collection<RunResult> results = new Runner(opts.build()).run();
    List<Score> scores = new ArrayList<>();
    for (RunResult rr : results) {
      String bench = rr.getParams().getBenchmark();
      int bytes = Integer.parseInt(rr.getParams().getParam("chunkBytes"));
      List<Double> mb = new ArrayList<>();
      for (BenchmarkResult br : rr.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          mb.add(ir.getPrimaryResult().getScore() * bytes / 1e6);
        }
      }
      scores.add(new Score(bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1), bytes, mb));
    }
    return scores;
  }
}
