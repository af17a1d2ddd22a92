package io.cairn.server.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven through chromedriver, headless, with a fresh profile and a download
 * directory. When either binary is missing the browser tests cannot run: outside CI they are skipped
 * with a banner saying what to install; with {@code CI=true} they fail, because CI installs both and a
 * silent skip there would hide a broken set-up.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getenv().getOrDefault("CAIRN_CHROMIUM", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getenv().getOrDefault("CAIRN_CHROMEDRIVER", "/usr/bin/chromedriver");

  final ChromeDriver driver;
  final Path profile;
  final Path downloads;

  private Browser(ChromeDriver driver, Path profile, Path downloads) {
    this.driver = driver;
    this.profile = profile;
    this.downloads = downloads;
  }

  /** Skips (or, on CI, fails) the calling test class when chromium or chromedriver is missing. */
  static void requireBinaries() {
    boolean ok = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (ok) {
      return;
    }
    String msg = "Browser tests need chromium at " + CHROMIUM + " and chromedriver at " + CHROMEDRIVER
        + " (Debian: apt-get install chromium chromium-driver; or set CAIRN_CHROMIUM / CAIRN_CHROMEDRIVER).";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true and the browser is missing. " + msg);
    }
    String bar = "!".repeat(100);
    System.err.println(bar + "\n!!! SKIPPING the web UI browser tests: " + msg + "\n" + bar);
    Assumptions.abort("SKIPPED: " + msg);
  }

  static Browser start(int width, int height) {
    try {
      Path profile = Files.createTempDirectory("cairn-chromium-profile-");
      Path downloads = Files.createTempDirectory("cairn-chromium-downloads-");
      ChromeOptions o = new ChromeOptions();
      o.setBinary(CHROMIUM);
      o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
      o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
          "download.prompt_for_download", false, "safebrowsing.enabled", false));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
      ChromeDriver driver = new ChromeDriver(service, o);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      return new Browser(driver, profile, downloads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Saves a PNG of the viewport under {@code target/} (a test artifact). */
  Path screenshot(String name) {
    try {
      Path out = Path.of("target", name);
      Files.createDirectories(out.getParent());
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
      return out.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The whole page, not only the viewport, at the window's current width: the DevTools protocol can
   * capture beyond the viewport, which a headless window cannot grow to.
   */
  Path fullPageScreenshot(String name) {
    try {
      Map<String, Object> layout = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> size = (Map<String, Object>) layout.get("cssContentSize");
      // Captured beyond the viewport the page needs no scrollbar, so it lays out at the full window width.
      double w = Math.max(((Number) size.get("width")).doubleValue(),
          ((Number) js("return window.innerWidth")).doubleValue());
      double h = Math.min(8000, ((Number) size.get("height")).doubleValue());
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
          "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
      Path out = Path.of("target", name);
      Files.createDirectories(out.getParent());
      Files.write(out, Base64.getDecoder().decode((String) shot.get("data")));
      return out.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      for (Path p : new Path[] {profile, downloads}) {
        try (var walk = Files.walk(p)) {
          walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
          // Best effort: temp space.
        }
      }
    }
  }
}
