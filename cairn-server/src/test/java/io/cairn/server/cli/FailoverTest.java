package io.cairn.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.ClusterView;
import io.cairn.common.ErrorCode;
import io.cairn.common.FileRecord;
import io.cairn.common.ListPage;
import io.cairn.common.ListQuery;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.server.files.FileService;
import io.cairn.server.files.InMemoryFileService;
import io.cairn.server.gateway.HttpGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailoverTest extends CliTestBase {
  private static NodeInfo node(int id, HttpGateway g) {
    return new NodeInfo(id, endpoint(g), "http://127.0.0.1:1", "127.0.0.1:2", 1, "", NodeState.ALIVE);
  }

  @Test
  void deadFirstEndpointFallsOverToTheLiveOne() throws IOException {
    Path src = Files.write(tmp.resolve("a.txt"), "hello".getBytes());
    String endpoints = deadEndpoint() + "," + endpoint(gateway);
    assertThat(run("put", "--endpoint", endpoints, src.toString(), "b/a.txt").exit()).isZero();
    Result get = run("get", "--endpoint", deadEndpoint(), "--endpoint", endpoint(gateway), "b/a.txt", "-");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("hello");
  }

  @Test
  void oneEndpointAnswering503LeadsToTheOthersThroughDiscovery() {
    InMemoryFileService sick = new InMemoryFileService().failWith(new CairnException(ErrorCode.NO_LEADER, "no leader"));
    HttpGateway a = startGateway(sick);
    sick.cluster(new ClusterView(2, 3, List.of(node(1, a), node(2, gateway))));
    files.put(new FileService.PutRequest("b", "k.txt", null, null, false), InputStream.nullInputStream());

    Result ls = run("ls", "--retries", "0", "--endpoint", endpoint(a), "b");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out()).isEqualTo("k.txt\n");
  }

  @Test
  void persistent503EndsWithExitCode4() {
    InMemoryFileService sick = new InMemoryFileService()
        .failWith(new CairnException(ErrorCode.INSUFFICIENT_REPLICAS, "only 1 of 3 nodes alive"));
    HttpGateway a = startGateway(sick);
    sick.cluster(new ClusterView(1, 1, List.of(node(1, a))));
    Result r = run("get", "--retries", "0", "--endpoint", endpoint(a), "b/k", "-");
    assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).startsWith("cairn: cluster unavailable").contains("INSUFFICIENT_REPLICAS")
        .contains("only 1 of 3 nodes alive");
  }

  @Test
  void a503ThatClearsIsRetriedAfterRetryAfter() throws Exception {
    files.put(new FileService.PutRequest("b", "k", null, null, false), InputStream.nullInputStream());
    files.failWith(new CairnException(ErrorCode.NO_LEADER, "electing"));
    CompletableFuture<Void> heal = CompletableFuture.runAsync(() -> files.failWith(null),
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
    Result r = run("ls", "--retries", "3", "b");
    heal.get();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("k\n");
  }

  @Test
  void aFailedUploadRestartsFromTheFileOnTheNextNode() throws IOException {
    AtomicInteger attempts = new AtomicInteger();
    HttpGateway flaky = startGateway(new BreaksMidUpload(new InMemoryFileService(), attempts));
    byte[] data = new byte[5 << 20];
    new Random(7).nextBytes(data);
    Path src = Files.write(tmp.resolve("big.bin"), data);

    Result r = run("put", "--endpoint", endpoint(flaky) + "," + endpoint(gateway), src.toString(), "b/big.bin");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(files.content("b", "big.bin")).isEqualTo(data);
  }

  /** Reads the first MiB of every upload, then fails as a node that lost its replicas would. */
  private record BreaksMidUpload(InMemoryFileService delegate, AtomicInteger attempts) implements FileService {
    @Override
    public FileRecord put(PutRequest request, InputStream body) {
      attempts.incrementAndGet();
      try {
        body.readNBytes(1 << 20);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new CairnException(ErrorCode.INSUFFICIENT_REPLICAS, "replica write failed");
    }

    @Override
    public FileRecord stat(String bucket, String key) {
      return delegate.stat(bucket, key);
    }

    @Override
    public void read(FileRecord file, long first, long last, OutputStream out) {
      delegate.read(file, first, last, out);
    }

    @Override
    public boolean delete(String bucket, String key) {
      return delegate.delete(bucket, key);
    }

    @Override
    public ListPage list(ListQuery query) {
      return delegate.list(query);
    }

    @Override
    public List<String> buckets() {
      return delegate.buckets();
    }

    @Override
    public boolean createBucket(String bucket) {
      return delegate.createBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
      delegate.deleteBucket(bucket);
    }

    @Override
    public ClusterView cluster() {
      return delegate.cluster();
    }
  }
}
