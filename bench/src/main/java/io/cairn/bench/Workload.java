package io.cairn.bench;

/** One part of the suite: measures and adds figures (one value per pass) under its own name. */
interface Workload {
  /** The name its figures are printed and stored under (e.g. "W2"). */
  String name();

  /** What {@code ./cairn bench} lists. */
  String description();

  void run(BenchEnv env, Results results) throws Exception;
}
