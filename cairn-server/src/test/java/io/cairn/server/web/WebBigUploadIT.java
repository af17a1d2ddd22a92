package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;

/**
 * A large upload through the page (default 1 GiB) into nodes with a 512 MiB heap: the browser streams
 * the file from disk in one PUT and the nodes stream it into chunks. Minutes of disk work, so it runs
 * only when asked: {@code -Dcairn.web.bigUploadMiB=1024 -Dit.test=WebBigUploadIT}.
 */
@EnabledIfSystemProperty(named = "cairn.web.bigUploadMiB", matches = "[0-9]+")
class WebBigUploadIT {

  @Test
  void aOneGigabyteUploadFromThePageCompletes() throws Exception {
    Browser.requireBinaries();
    long mib = Long.parseLong(System.getProperty("cairn.web.bigUploadMiB"));
    Path dir = Files.createTempDirectory("cairn-web-big-");
    Path file = dir.resolve("big.bin");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = Files.newOutputStream(file)) {
      SplittableRandom rnd = new SplittableRandom(42);
      byte[] block = new byte[1 << 20];
      for (long i = 0; i < mib; i++) {
        rnd.nextBytes(block);
        sha.update(block);
        out.write(block);
      }
    }
    try (WebTestCluster cluster = WebTestCluster.start(3, "512m"); Browser b = Browser.start(1280, 1000);
        HttpClient http = HttpClient.newHttpClient()) {
      b.driver.get(cluster.url(1) + "/?bucket=big");
      b.waitUpTo(30).until(d -> d.findElement(By.id("list-status")).getText().contains("big"));
      long t0 = System.nanoTime();
      b.driver.findElement(By.id("file-input")).sendKeys(file.toString());
      b.waitUpTo(1800).until(d -> d.findElement(By.cssSelector("li.upload")).getAttribute("data-state") != null);
      double secs = (System.nanoTime() - t0) / 1e9;
      var li = b.driver.findElement(By.cssSelector("li.upload"));
      assertThat(li.getAttribute("data-state")).as(li.getText()).isEqualTo("done");
      System.out.printf("[web timing] %d MiB uploaded from the page in %.1f s (%.0f MiB/s); page says: %s%n",
          mib, secs, mib / secs, li.getText().replace('\n', ' '));
      HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(cluster.url(2)
          + "/api/v1/files/big/big.bin")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(head.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(mib << 20);
      assertThat(head.headers().firstValue("X-Cairn-Sha256")).hasValue(HexFormat.of().formatHex(sha.digest()));
      b.screenshot("webui-big-upload.png");
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }
}
