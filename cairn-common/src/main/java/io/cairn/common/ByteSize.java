package io.cairn.common;

import java.util.Locale;

/** A number of bytes, parsed from and printed as "8MiB", "256 MiB", "1g", "4096". */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("byte size must be >= 0, was " + bytes);
    }
  }

  public static ByteSize ofBytes(long b) {
    return new ByteSize(b);
  }

  public static ByteSize ofKiB(long k) {
    return new ByteSize(k << 10);
  }

  public static ByteSize ofMiB(long m) {
    return new ByteSize(m << 20);
  }

  public static ByteSize ofGiB(long g) {
    return new ByteSize(g << 30);
  }

  public static ByteSize parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a byte size: " + text);
    }
    double n = Double.parseDouble(s.substring(0, i));
    String unit = s.substring(i);
    long mult = switch (unit) {
      case "", "b" -> 1L;
      case "k", "kb", "kib" -> 1L << 10;
      case "m", "mb", "mib" -> 1L << 20;
      case "g", "gb", "gib" -> 1L << 30;
      case "t", "tb", "tib" -> 1L << 40;
      default -> throw new IllegalArgumentException("unknown byte unit '" + unit + "' in " + text);
    };
    return new ByteSize((long) (n * mult));
  }

  public int toIntExact() {
    return Math.toIntExact(bytes);
  }

  @Override
  public int compareTo(ByteSize o) {
    return Long.compare(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return human(bytes);
  }

  /** 1536 -> "1.5 KiB". */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
