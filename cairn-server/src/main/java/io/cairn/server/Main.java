package io.cairn.server;

/** Entry point of the cairn jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("cairn");
  }
}
