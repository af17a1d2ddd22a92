package io.cairn.server.chaos;

import io.cairn.common.ByteSize;
import io.cairn.server.chaos.Op.Kind;
import io.cairn.server.chaos.Op.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code cairn chaos}: starts a local cluster, runs writers, readers and deleters against random nodes
 * while a nemesis kills, restarts, pauses and resumes nodes, then heals everything and checks the history
 * (see {@link Checker}). Exit code 0 when nothing was lost, resurrected or read wrong and replication was
 * restored; 1 on any violation; 2 when the cluster could not be started or did not recover.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fault-injection test: load and random node crashes/pauses against a local cluster, then a "
        + "check that no acknowledged write was lost, no delete undone, no read stale or corrupt.")
public final class ChaosCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "5", description = "Number of nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
      description = "How long the load and the faults run: 90s, 2m, 1h (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--data", description = "Data directory (default: a temporary one, removed after a clean run).")
  Path data;

  @Option(names = "--seed", description = "Seed of the random choices (default: random, printed).")
  Long seed;

  @Option(names = "--writers", defaultValue = "3", description = "Writer threads (default ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--readers", defaultValue = "3", description = "Reader threads (default ${DEFAULT-VALUE}).")
  int readers;

  @Option(names = "--deleters", defaultValue = "1", description = "Deleter threads (default ${DEFAULT-VALUE}).")
  int deleters;

  @Option(names = "--keys", defaultValue = "16", description = "Number of distinct keys (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--max-size", defaultValue = "256KiB", description = "Largest upload (default ${DEFAULT-VALUE}).")
  String maxSize;

  @Option(names = "--think", defaultValue = "50", description = "Max pause between a worker's operations, ms.")
  int thinkMillis;

  @Option(names = "--fault-every", defaultValue = "6s", converter = DurationConverter.class,
      description = "Mean time between nemesis actions (default ${DEFAULT-VALUE}).")
  Duration faultEvery;

  @Option(names = "--pauses", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also SIGSTOP/SIGCONT nodes (default ${DEFAULT-VALUE}; --no-pauses for crashes only).")
  boolean pauses;

  @Option(names = "--heap", defaultValue = "256m", description = "Heap per node (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--recovery-timeout", defaultValue = "5m", converter = DurationConverter.class,
      description = "Limit for the cluster to recover after the faults stop (default ${DEFAULT-VALUE}).")
  Duration recoveryTimeout;

  @Option(names = "--node-arg", description = "Extra flag for every node, e.g. --node-arg=--chunk-size=128KiB.")
  List<String> nodeArgs = new ArrayList<>();

  /** Node flags of a chaos cluster: fast failure detection and healing, small chunks (files of several). */
  static final List<String> NODE_ARGS = List.of("--heartbeat-interval", "PT0.5S", "--dead-after", "PT3S",
      "--election-timeout-min", "PT1S", "--election-timeout-max", "PT2S", "--heal-interval", "PT1S",
      "--chunk-size", "64KiB", "--cache", "16MiB", "--orphan-grace", "PT90S", "--sweep-interval", "PT10S");

  /** The default node flags, less those the user sets, then the user's: a flag given twice stops a node. */
  static List<String> nodeArgs(List<String> user) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < NODE_ARGS.size(); i += 2) {
      String flag = NODE_ARGS.get(i);
      if (user.stream().noneMatch(u -> u.equals(flag) || u.startsWith(flag + "="))) {
        args.addAll(NODE_ARGS.subList(i, i + 2));
      }
    }
    args.addAll(user);
    return args;
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 3 || nodes > 15) {
      System.err.println("cairn chaos: --nodes must be between 3 and 15");
      return 2;
    }
    PrintStream out = System.out;
    long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    boolean temp = data == null;
    Path dir = temp ? Files.createTempDirectory("cairn-chaos-") : data.toAbsolutePath().normalize();
    List<String> args = nodeArgs(nodeArgs);
    out.printf("cairn chaos: %d nodes, %d s of load and faults, seed %d, data in %s%n", nodes, duration.toSeconds(),
        runSeed, dir);
    History history = new History();
    int code;
    try (ChaosCluster cluster = ChaosCluster.start(nodes, dir, heap, args);
        ChaosClient client = new ChaosClient(history, cluster::url, Duration.ofSeconds(30))) {
      code = run(out, dir, cluster, client, history, runSeed);
    } catch (IllegalStateException e) {
      out.println("cairn chaos: " + e.getMessage() + "; node logs in " + dir + "/node-*/node.log");
      code = 2;
    }
    writeHistory(dir.resolve("history.txt"), history);
    if (code == 0 && temp) {
      deleteTree(dir);
    } else {
      out.println("history and node logs kept in " + dir);
    }
    return code;
  }

  private int run(PrintStream out, Path dir, ChaosCluster cluster, ChaosClient client, History history, long runSeed)
      throws InterruptedException {
    long t0 = System.nanoTime();
    int leader = cluster.awaitReady(Duration.ofMinutes(3));
    out.printf("[%6.1f s] cluster ready in %.1f s, leader node %d; starting %d writer(s), %d reader(s), "
        + "%d deleter(s) on %d keys%n", history.now() / 1e9, (System.nanoTime() - t0) / 1e9, leader, writers,
        readers, deleters, keys);
    List<String> keySpace = Workers.keySpace(keys);
    Workers workers = new Workers(client, nodes, keySpace, 1024, ByteSize.parse(maxSize).toIntExact(), thinkMillis,
        runSeed);
    long every = faultEvery.toMillis();
    Nemesis nemesis = new Nemesis(cluster, client, history, runSeed + 1, pauses, (int) (every / 2),
        (int) (every * 3 / 2), out);
    long deadline = System.nanoTime() + duration.toNanos();
    Thread load = Thread.ofPlatform().name("chaos-load").start(() -> {
      try {
        workers.run(writers, readers, deleters, deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    nemesis.run(deadline);
    load.join();
    out.printf("[%6.1f s] load stopped; healing every fault%n", history.now() / 1e9);
    nemesis.healAll();
    long healStart = System.nanoTime();
    long recoveryDeadline = healStart + recoveryTimeout.toNanos();
    boolean recovered = true;
    try {
      cluster.awaitReady(recoveryTimeout);
      out.printf("[%6.1f s] every node ready and ALIVE after %.1f s%n", history.now() / 1e9,
          (System.nanoTime() - healStart) / 1e9);
    } catch (IllegalStateException e) {
      recovered = false;
      out.printf("[%6.1f s] the cluster did NOT recover: %s%n", history.now() / 1e9, e.getMessage());
    }
    Recovery recovery = new Recovery(cluster, client, dir);
    boolean replicated = recovered && recovery.awaitFullReplication(recoveryDeadline);
    double replicatedSecs = (System.nanoTime() - healStart) / 1e9;
    out.printf("[%6.1f s] %s%n", history.now() / 1e9, replicated
        ? String.format("full replication after %.1f s", replicatedSecs) : "replication NOT restored");
    recovery.finalReads(keySpace, recoveryDeadline);
    Checker.Result result = Checker.check(history.ops());
    Set<String> files = finalFiles(history.ops());
    List<String> problems = recovery.replicationProblems(files, recoveryDeadline);
    report(out, history, nemesis, result, files.size(), replicated ? replicatedSecs : -1, problems);
    boolean pass = result.valid() && recovered && replicated && problems.isEmpty();
    out.println("result: " + (pass ? "PASS" : "FAIL"));
    return pass ? 0 : 1;
  }

  private static Set<String> finalFiles(List<Op> ops) {
    Set<String> files = new TreeSet<>();
    for (Op op : ops) {
      if (op.fin() && op.ok() && op.value() > 0) {
        files.add(op.key());
      }
    }
    return files;
  }

  private void report(PrintStream out, History history, Nemesis nemesis, Checker.Result result, int files,
      double replicatedSecs, List<String> problems) {
    List<Op> ops = history.ops();
    long finals = ops.stream().filter(Op::fin).count();
    out.printf("operations: %d (%d during the faults, %d final reads)%n", ops.size(), ops.size() - finals, finals);
    for (Map.Entry<Kind, Map<Outcome, Long>> e : history.counts().entrySet()) {
      Map<Outcome, Long> m = e.getValue();
      out.printf("  %-7s %6d  ok %d, failed %d, indeterminate %d%n", e.getKey().name().toLowerCase(),
          m.values().stream().mapToLong(Long::longValue).sum(), m.get(Outcome.OK), m.get(Outcome.FAILED),
          m.get(Outcome.INDETERMINATE));
    }
    out.println("faults injected: " + nemesis.summary());
    out.printf("files at the end: %d of %d keys; replicas: %s%n", files, result.keys(),
        problems.isEmpty() ? "every chunk on the replication factor of nodes, on disk" : problems.size() + " problem(s)");
    problems.stream().limit(10).forEach(p -> out.println("  " + p));
    out.println("time to full replication: "
        + (replicatedSecs < 0 ? "not reached" : String.format("%.1f s", replicatedSecs)));
    out.println("lost writes: " + result.count(Checker.Type.LOST_WRITE));
    out.println("wrong reads: " + result.count(Checker.Type.WRONG_READ));
    out.println("resurrected deletes: " + result.count(Checker.Type.RESURRECTED_DELETE));
    if (result.count(Checker.Type.UNVERIFIED) > 0) {
      out.println("keys not verifiable: " + result.count(Checker.Type.UNVERIFIED));
    }
    result.violations().stream().limit(20).forEach(v -> out.println("  " + v));
  }

  private static void writeHistory(Path file, History history) {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      history.ops().forEach(w::println);
    } catch (IOException e) {
      System.err.println("cairn chaos: cannot write " + file + ": " + e);
    }
  }

  private static void deleteTree(Path p) {
    try (var walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // Best effort: a temporary directory.
    }
  }

  /** "90s", "2m", "1h", "500ms" or ISO-8601 ("PT2M"). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String s) {
      String t = s.trim().toLowerCase();
      if (t.startsWith("pt")) {
        return Duration.parse(s.trim().toUpperCase());
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException("not a duration: " + s + " (use 90s, 2m, 1h or PT2M)");
      };
    }
  }
}
