package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags and config files become one NodeConfig; flags given on the command line win over the file. */
class ServerCommandTest {
  @TempDir
  Path dir;

  @Test
  void configFileSetsEveryOptionAndFlagsWin() throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, """
        node-id=2
        data-dir=%s
        peers=1=10.0.0.1:9870,2=10.0.0.2:9870,3=10.0.0.3:9870
        bind=0.0.0.0
        advertise=10.0.0.2
        http-port=9090
        chunk-size=4MiB
        zone=rack-b
        dead-after=PT7S
        """.formatted(dir.resolve("data")));
    String[] args = ServerCommand.withConfigFile(new String[] {"--config", file.toString(), "--http-port", "9191"});
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs(args);
    NodeConfig c = cmd.toConfig();
    assertThat(c.nodeId()).isEqualTo(2);
    assertThat(c.peers()).hasSize(3).containsEntry(3, "10.0.0.3:9870");
    assertThat(c.httpPort()).as("flag wins over file").isEqualTo(9191);
    assertThat(c.httpAddress()).isEqualTo("http://10.0.0.2:9191");
    assertThat(c.bindHost()).isEqualTo("0.0.0.0");
    assertThat(c.files().chunkSize().bytes()).isEqualTo(4L << 20);
    assertThat(c.zone()).isEqualTo("rack-b");
    assertThat(c.cluster().deadAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.masterKeyFile()).isEqualTo(dir.resolve("data").resolve("cluster.key"));
  }

  @Test
  void badValuesAreUsageErrorsWithAClearMessage() {
    CommandLine cl = Main.commandLine();
    var err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    int code = cl.execute("server", "--node-id", "4", "--data-dir", dir.toString(), "--peers", "1=h:1,2=h:2");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("must include this node");
  }
}
