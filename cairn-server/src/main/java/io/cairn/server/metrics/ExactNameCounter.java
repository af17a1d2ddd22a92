package io.cairn.server.metrics;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A label-free counter written under exactly the name it is given, for the seed names that client_java
 * refuses to register. Its 1.x model reserves the {@code _created} suffix (OpenMetrics uses
 * {@code <counter>_created} for a counter's creation time), so the seed's {@code shards_created_total}
 * cannot be a registered Counter. {@link Metrics#write} appends this family to the registry's output in
 * the same text format. Thread-safe.
 */
public final class ExactNameCounter {
  private final String name;
  private final String help;
  private final DoubleAdder value = new DoubleAdder();

  ExactNameCounter(String name, String help) {
    if (!name.endsWith("_total") || !name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("not a counter name: " + name);
    }
    if (PrometheusNaming.isValidMetricName(name.substring(0, name.length() - "_total".length()))) {
      throw new IllegalArgumentException(name + " can be a registered Counter; use one");
    }
    this.name = name;
    this.help = help;
  }

  public void inc() {
    value.add(1);
  }

  public void inc(double amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("a counter cannot go down: " + amount);
    }
    value.add(amount);
  }

  public double get() {
    return value.sum();
  }

  public String name() {
    return name;
  }

  void write(OutputStream out) throws IOException {
    String text = "# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n") + "\n"
        + "# TYPE " + name + " counter\n"
        + name + " " + format(value.sum()) + "\n";
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? ((long) v) + ".0" : Double.toString(v);
  }
}
