package io.cairn.server.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams the client commands use: data on {@code out} (and {@code in} for {@code put -}), messages
 * and the progress bar on {@code err}. Tests pass their own; {@link #system()} is the real terminal.
 *
 * @param interactive whether {@code err} is a terminal (then large transfers show a progress bar)
 */
public record ClientIo(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
  public static ClientIo system() {
    return new ClientIo(System.in, System.out, System.err, System.console() != null);
  }
}
