package io.cairn.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.cli.ClientCommands;
import io.cairn.server.cli.ClientIo;
import io.cairn.server.files.InMemoryFileService;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 2 GiB up and down through the CLI and the gateway in one JVM. Meaningful with a small heap:
 * {@code mvn -pl cairn-server -am test -Dgroups=soak -Dtest=LargeTransferSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest.jvm.args=-Xmx256m}. Uses a sparse source file, so it
 * needs no disk space.
 */
@Tag("soak")
class LargeTransferSoakTest extends GatewayTestBase {
  private static final long SIZE = 2L << 30;

  @Test
  void twoGiBThroughCliAndGateway() throws Exception {
    gateway.stop();
    files = new InMemoryFileService(8 << 20).discardBodies(true);
    gateway = HttpGateway.start(config(), files, readiness);
    Path sparse = tmp.resolve("sparse.bin");
    try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
      raf.setLength(SIZE);
    }
    ClientIo io = new ClientIo(System.in, new PrintStream(OutputStream.nullOutputStream()), System.err, false);
    String endpoint = "--endpoint=http://127.0.0.1:" + gateway.port();

    assertThat(ClientCommands.commandLine(io).execute("put", endpoint, sparse.toString(), "big/2g.bin")).isZero();
    assertThat(files.bytesReceived()).isEqualTo(SIZE);
    assertThat(ClientCommands.commandLine(io).execute("get", endpoint, "big/2g.bin", "-")).isZero();
  }
}
