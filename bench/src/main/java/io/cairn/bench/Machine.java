package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: CPU, memory, JDK, disk and how busy the machine was. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
    m.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("tmpFileSystem", fileSystem(Path.of(System.getProperty("java.io.tmpdir"))));
    m.put("loadAverageBefore", loadAverage());
    return m;
  }

  /** 1, 5 and 15 minute load averages: other work on the machine makes every figure pessimistic. */
  static String loadAverage() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return p[0] + " " + p[1] + " " + p[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String fileSystem(Path p) {
    try {
      var store = Files.getFileStore(p);
      return store.name() + " (" + store.type() + ")";
    } catch (IOException e) {
      return "?";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1)
          .trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
