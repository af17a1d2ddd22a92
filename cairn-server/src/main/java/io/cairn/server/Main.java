package io.cairn.server;

import io.cairn.server.cli.ClientCommands;
import io.cairn.server.cli.ClientIo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the cairn jar: {@code cairn up | server | put | get | ls | find | rm | stat | cluster}. */
public final class Main {
  private Main() {}

  @Command(name = "cairn", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, version = "cairn 0.1.0",
      description = "Cairn: a distributed, replicated, encrypted file store.")
  static final class Root implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Root());
    cl.addSubcommand("up", new UpCommand());
    cl.addSubcommand("server", new ServerCommand());
    cl.addSubcommand("monitor", new MonitorCommand());
    cl.addSubcommand("chaos", new io.cairn.server.chaos.ChaosCommand());
    ClientCommands.addTo(cl, ClientIo.system());
    cl.addSubcommand("cert", new io.cairn.server.tls.CertCommand());
    cl.addSubcommand("key", io.cairn.server.cli.KeyCommand.commandLine(ClientIo.system()));
    return cl;
  }

  public static void main(String[] args) throws java.io.IOException {
    if (args.length > 0 && args[0].equals("server")) {
      String[] rest = ServerCommand.withConfigFile(java.util.Arrays.copyOfRange(args, 1, args.length));
      String[] all = new String[rest.length + 1];
      all[0] = "server";
      System.arraycopy(rest, 0, all, 1, rest.length);
      args = all;
    }
    int code = commandLine().execute(args);
    if (code != 0 || !(args.length > 0 && (args[0].equals("up") || args[0].equals("server")))) {
      System.exit(code);
    }
  }
}
