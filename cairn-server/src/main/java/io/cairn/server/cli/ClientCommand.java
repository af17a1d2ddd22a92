package io.cairn.server.cli;

import io.cairn.common.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * Base of the client commands: runs one command and turns every failure into one line on stderr
 * ({@code cairn: no such file: photos/a.jpg}) and an exit code from {@link ExitCodes}.
 *
 * <p>IOExceptions that reach here are local (reading FILE, writing DEST): network failures are handled
 * and reported by {@link CairnClient}.
 */
abstract class ClientCommand implements Callable<Integer> {
  @Mixin
  ClientOptions options;

  final ClientIo io;

  ClientCommand(ClientIo io) {
    this.io = io;
  }

  abstract void run(CairnClient client) throws IOException;

  @Override
  public final Integer call() {
    try (CairnClient client = options.client()) {
      run(client);
      io.out().flush();
      return ExitCodes.OK;
    } catch (CairnException e) {
      return fail(e.getMessage(), ExitCodes.of(e));
    } catch (IOException e) {
      return fail(localMessage(e), ExitCodes.LOCAL_IO);
    } catch (UncheckedIOException e) {
      return fail(localMessage(e.getCause()), ExitCodes.LOCAL_IO);
    } catch (RuntimeException e) {
      // A bug, not a usage error: keep picocli from reporting it as exit code 1.
      e.printStackTrace(io.err());
      return fail("internal error: " + e, ExitCodes.SERVER_ERROR);
    }
  }

  private int fail(String message, int code) {
    io.out().flush();
    io.err().println("cairn: " + message);
    io.err().flush();
    return code;
  }

  private static String localMessage(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
        .toLowerCase(Locale.ROOT) + (m == null ? "" : ": " + m);
  }

  Progress progress(String label, long total) {
    return Progress.start(io, options.progress, label, total);
  }
}
