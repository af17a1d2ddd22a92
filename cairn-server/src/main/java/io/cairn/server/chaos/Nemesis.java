package io.cairn.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Injects faults into a running cluster: SIGKILL of a random node or of the Raft leader, restart of a
 * killed node, SIGSTOP of a node (a pause, which to the others looks like a partition of that node) and
 * SIGCONT. At most a minority of nodes is faulty at any time; a restarted node counts as faulty until it
 * answers /readyz again, so a majority is always up and serving.
 */
final class Nemesis {
  private final ChaosCluster cluster;
  private final ChaosClient client;
  private final History clock;
  private final Random rnd;
  private final boolean pauses;
  private final int minMillis;
  private final int maxMillis;
  private final PrintStream log;
  private final int maxFaulty;
  private final Set<Integer> killed = new LinkedHashSet<>();
  private final Set<Integer> paused = new LinkedHashSet<>();
  private final Set<Integer> recovering = new LinkedHashSet<>();
  private final Map<String, Integer> faults = new TreeMap<>();

  Nemesis(ChaosCluster cluster, ChaosClient client, History clock, long seed, boolean pauses, int minMillis,
      int maxMillis, PrintStream log) {
    this.cluster = cluster;
    this.client = client;
    this.clock = clock;
    this.rnd = new Random(seed);
    this.pauses = pauses;
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.log = log;
    this.maxFaulty = (cluster.size() - 1) / 2;
  }

  /** What was done: "N (kill a, kill-leader b, pause c; restart d, resume e)". */
  String summary() {
    return String.format("%d (kill %d, kill-leader %d, pause %d; restart %d, resume %d)", injected(),
        faults.getOrDefault("kill", 0), faults.getOrDefault("kill-leader", 0), faults.getOrDefault("pause", 0),
        faults.getOrDefault("restart", 0), faults.getOrDefault("resume", 0));
  }

  int injected() {
    return faults.getOrDefault("kill", 0) + faults.getOrDefault("kill-leader", 0) + faults.getOrDefault("pause", 0);
  }

  /** Injects and heals faults until the deadline (System.nanoTime), then returns with faults still in place. */
  void run(long deadlineNanos) throws InterruptedException {
    while (true) {
      long wait = minMillis + rnd.nextInt(maxMillis - minMillis + 1);
      long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (left <= wait) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(wait);
      recovering.removeIf(n -> client.json(n, "/readyz") != null);
      int faulty = killed.size() + paused.size() + recovering.size();
      if (faulty < maxFaulty && (faulty == 0 || rnd.nextBoolean())) {
        inject();
      } else {
        healOne();
      }
    }
  }

  private void inject() {
    List<Integer> healthy = healthy();
    if (healthy.isEmpty()) {
      return;
    }
    double r = rnd.nextDouble();
    int leader = leader(healthy);
    if (r < 0.25 && healthy.contains(leader)) {
      kill(leader, "kill-leader", " (the leader)");
    } else if (r < 0.6 || !pauses) {
      kill(healthy.get(rnd.nextInt(healthy.size())), "kill", "");
    } else {
      int n = healthy.get(rnd.nextInt(healthy.size()));
      cluster.pause(n);
      paused.add(n);
      note("pause", "SIGSTOP node " + n + (n == leader ? " (the leader)" : ""));
    }
  }

  private void kill(int node, String kind, String what) {
    cluster.kill(node);
    killed.add(node);
    note(kind, "SIGKILL node " + node + what);
  }

  private void healOne() {
    List<Integer> down = new ArrayList<>(killed);
    down.addAll(paused);
    if (down.isEmpty()) {
      return;
    }
    heal(down.get(rnd.nextInt(down.size())));
  }

  private void heal(int node) {
    if (paused.remove(node)) {
      cluster.resume(node);
      note("resume", "SIGCONT node " + node);
    } else if (killed.remove(node)) {
      cluster.restart(node);
      recovering.add(node);
      note("restart", "restart node " + node);
    }
  }

  /** Resumes every paused node and restarts every killed one. */
  void healAll() {
    for (int n : List.copyOf(paused)) {
      heal(n);
    }
    for (int n : List.copyOf(killed)) {
      heal(n);
    }
  }

  private List<Integer> healthy() {
    List<Integer> out = new ArrayList<>();
    for (int n = 1; n <= cluster.size(); n++) {
      if (!killed.contains(n) && !paused.contains(n) && !recovering.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private int leader(List<Integer> healthy) {
    for (int n : healthy) {
      JsonNode c = client.json(n, "/api/v1/cluster");
      if (c != null && c.path("leader").asInt() > 0) {
        return c.path("leader").asInt();
      }
    }
    return 0;
  }

  private void note(String kind, String what) {
    faults.merge(kind, 1, Integer::sum);
    log.printf("[%6.1f s] nemesis: %s%n", clock.now() / 1e9, what);
  }
}
