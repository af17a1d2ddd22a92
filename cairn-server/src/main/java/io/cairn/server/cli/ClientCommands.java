package io.cairn.server.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The client side of the {@code cairn} command: {@code put get ls find rm stat cluster}, talking to any
 * node's REST API with failover.
 *
 * <p>Register with {@link #addTo(CommandLine)} (or add {@link #clientCommands()} yourself). The root
 * command should also use {@code exitCodeOnInvalidInput = 1}: picocli's default for usage errors is 2,
 * which here means "not found".
 */
public final class ClientCommands {
  /** Exit codes, for a root command's help ({@code exitCodeList}). */
  public static final Map<String, String> EXIT_CODES = exitCodes();

  private ClientCommands() {}

  /** New command objects on the process's own stdin/stdout/stderr. */
  public static List<Object> clientCommands() {
    return clientCommands(ClientIo.system());
  }

  /** New command objects on the given streams (tests). */
  public static List<Object> clientCommands(ClientIo io) {
    return List.of(new PutCommand(io), new GetCommand(io), new LsCommand(io), new FindCommand(io),
        new RmCommand(io), new StatCommand(io), new ClusterCommand(io), new DecommissionCommand(io),
        AccountCommands.user(io), AccountCommands.token(io));
  }

  /** Adds the client commands to {@code root} with the exit-code table in each one's help. */
  public static CommandLine addTo(CommandLine root, ClientIo io) {
    for (Object cmd : clientCommands(io)) {
      CommandLine sub = cmd instanceof CommandLine group ? group : new CommandLine(cmd);
      sub.getCommandSpec().usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(EXIT_CODES);
      sub.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage()
          .exitCodeListHeading("Exit codes:%n").exitCodeList(EXIT_CODES));
      root.addSubcommand(sub);
    }
    return root;
  }

  /** A stand-alone {@code cairn} root holding only the client commands (tests, or a thin client jar). */
  public static CommandLine commandLine(ClientIo io) {
    CommandLine root = addTo(new CommandLine(new Root()), io);
    // After addTo: picocli hands these writers only to subcommands that already exist.
    root.setOut(new PrintWriter(io.out(), true));
    root.setErr(new PrintWriter(io.err(), true));
    return root;
  }

  @Command(name = "cairn", description = "Cairn distributed file store client.", mixinStandardHelpOptions = true,
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class Root implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "missing command");
    }
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      m.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return Collections.unmodifiableMap(m);
  }
}
