package io.cairn.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.cairn.common.ClusterView;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.files.FileService;
import io.cairn.server.files.InMemoryFileService;
import io.cairn.server.gateway.GatewayConfig;
import io.cairn.server.gateway.HttpGateway;
import io.cairn.server.gateway.Readiness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Runs client commands in-process against gateways over in-memory file services. */
abstract class CliTestBase {
  static {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
  }

  @TempDir
  Path tmp;
  InMemoryFileService files;
  HttpGateway gateway;
  private final List<HttpGateway> started = new ArrayList<>();

  record Result(int exit, byte[] outBytes, String err) {
    String out() {
      return new String(outBytes, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void startGateway() {
    files = new InMemoryFileService(1 << 20);
    gateway = startGateway(files);
  }

  HttpGateway startGateway(FileService service) {
    HttpGateway g = HttpGateway.start(GatewayConfig.loopback(tmp.resolve("gw-" + started.size())), service,
        Readiness.always());
    started.add(g);
    if (service instanceof InMemoryFileService m) {
      // Discovery must only ever lead to this test's own servers, never to a default port.
      m.cluster(new ClusterView(1, 1, List.of(new NodeInfo(1, endpoint(g), "http://127.0.0.1:1", "127.0.0.1:1",
          1L << 40, "", NodeState.ALIVE))));
    }
    return g;
  }

  @AfterEach
  void stopGateways() {
    started.forEach(HttpGateway::stop);
  }

  static String endpoint(HttpGateway g) {
    return "http://127.0.0.1:" + g.port();
  }

  /** A loopback port nothing listens on. */
  static String deadEndpoint() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  /** Runs {@code cairn ARGS} against the default gateway unless ARGS name an endpoint. */
  Result runWithStdin(byte[] stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--endpoint")) && all.size() > 0) {
      all.add(1, "--endpoint=" + endpoint(gateway));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ClientIo io = new ClientIo(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    int exit = ClientCommands.commandLine(io).execute(all.toArray(String[]::new));
    return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }
}
