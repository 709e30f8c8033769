package io.switchboard.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Real headless Chromium for the page tests (Debian's chromium and chromedriver). On a developer
 * machine without them the browser tests are skipped, loudly; under CI ({@code CI=true}) a missing
 * browser fails the build. A failing test saves a screenshot of every open browser under {@code
 * target/screenshots/}.
 */
public final class Browsers implements TestWatcher, AutoCloseable {

  private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
  private static final Path DRIVER =
      Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

  private final List<WebDriver> open = new ArrayList<>();

  /** Whether Chromium and its driver are installed. */
  public static boolean available() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
  }

  /** Skips (or, on CI, fails) when no browser is installed. */
  public static void assumeAvailable() {
    if (!available()) {
      String message =
          "\n!!! BROWSER TESTS SKIPPED: no Chromium at "
              + CHROMIUM
              + " / "
              + DRIVER
              + " (apt-get install chromium chromium-driver) !!!\n";
      System.err.println(message);
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI must run the browser tests:" + message);
      }
      Assumptions.abort(message);
    }
  }

  /** A new browser window of the given size. */
  public WebDriver open(int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    open.add(driver);
    return driver;
  }

  public WebDriver open() {
    return open(1280, 800);
  }

  /** Saves a PNG of the browser's window. */
  public static void screenshot(WebDriver driver, Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (Exception e) {
      System.err.println("Could not save a screenshot to " + file + ": " + e);
    }
  }

  /** Saves a README screenshot when {@code -Dswitchboard.screenshots=<dir>} is given. */
  public static void readmeScreenshot(WebDriver driver, String name) {
    String dir = System.getProperty("switchboard.screenshots", "");
    if (!dir.isBlank()) {
      screenshot(driver, Path.of(dir).toAbsolutePath().resolve(name));
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Path dir = Path.of(System.getProperty("switchboard.build", "target"), "screenshots");
    for (int i = 0; i < open.size(); i++) {
      screenshot(
          open.get(i),
          dir.resolve(context.getDisplayName().replaceAll("\\W+", "_") + "-" + i + ".png"));
    }
    close();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    close();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    close();
  }

  @Override
  public void close() {
    for (WebDriver driver : open) {
      try {
        driver.quit();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    open.clear();
  }
}
