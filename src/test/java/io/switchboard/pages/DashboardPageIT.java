package io.switchboard.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Browsers;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The SSE dashboard in real headless Chromium: counters, chart, feed and publish form. */
class DashboardPageIT extends ServerIT {

  @RegisterExtension final Browsers browsers = new Browsers();

  @BeforeEach
  void needsABrowser() {
    Browsers.assumeAvailable();
  }

  @Test
  void countersAndChartMoveWhileMessagesFlowAndNotificationsReachTheFeed() throws Exception {
    WebDriver driver = browsers.open(1280, 1000);
    driver.get(http().resolve("/dashboard.html").toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Live"));
    wait.until(d -> !d.findElement(By.id("t-nodes")).getText().equals("–"));
    long before = Long.parseLong(driver.findElement(By.id("t-in")).getText());

    String room = Fixtures.room();
    Http api = api();
    AtomicBoolean flowing = new AtomicBoolean(true);
    CompletableFuture<Void> traffic =
        CompletableFuture.runAsync(
            () -> {
              while (flowing.get()) {
                api.publish(room, "tick");
                sleep(20);
              }
            });
    try {
      wait.until(d -> Long.parseLong(d.findElement(By.id("t-in")).getText()) > before + 20);
      wait.until(
          d -> {
            String points = d.findElement(By.id("chart")).getAttribute("data-points");
            String lastIn = d.findElement(By.id("chart")).getAttribute("data-last-in");
            return points != null
                && Integer.parseInt(points) >= 3
                && lastIn != null
                && Double.parseDouble(lastIn) > 0;
          });
      assertThat(driver.findElement(By.id("nodes")).getText()).contains("it-node");
      if (!System.getProperty("switchboard.screenshots", "").isBlank()) {
        wait.until(
            d -> Integer.parseInt(d.findElement(By.id("chart")).getAttribute("data-points")) >= 12);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        Browsers.readmeScreenshot(driver, "dashboard.png");
      }
    } finally {
      flowing.set(false);
      traffic.get();
    }

    String topic = Fixtures.topic();
    api.post(
        "api/notifications",
        "{\"topic\":\"" + topic + "\",\"event\":\"deploy\",\"data\":{\"v\":\"<b>7</b>\"}}");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("feed"), topic));
    assertThat(driver.findElement(By.cssSelector("#feed li")).getText())
        .contains("deploy", "<b>7</b>");

    driver.findElement(By.id("p-topic")).clear();
    driver.findElement(By.id("p-topic")).sendKeys(topic);
    driver.findElement(By.cssSelector("#publish-form button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("publish-result"), "Published as #"));
    wait.until(d -> d.findElements(By.cssSelector("#feed li")).size() >= 2);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
