package io.switchboard.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Browsers;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page survives its server: the node under it is killed and started again while messages are
 * sent through another node, and the page shows every message exactly once, in order.
 */
class ReconnectPageIT {

  @RegisterExtension final Browsers browsers = new Browsers();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void afterTheNodeRestartsThePageShowsWhatWasSentMeanwhileExactlyOnce() throws Exception {
    Browsers.assumeAvailable();
    RedisProcess redis = RedisProcess.start();
    resources.add(redis);
    Map<String, String> config = redis.nodeSettings("page-" + UUID.randomUUID() + ":");
    PayaraNode pageNode = PayaraNode.start("page-node", config);
    resources.add(pageNode);
    PayaraNode other = PayaraNode.start("other-node", config);
    resources.add(other);
    String room = Fixtures.room();

    WebDriver driver = browsers.open();
    driver.get(pageNode.http().resolve("/?room=" + room + "&user=erin").toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Connected as erin"));
    other.api().publish(room, "before 1");
    other.api().publish(room, "before 2");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "before 2"));

    pageNode.kill();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "econnect"));
    for (int i = 1; i <= 5; i++) {
      other.api().publish(room, "while away " + i);
    }
    pageNode.restart();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Connected as erin"));
    other.api().publish(room, "after");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "after"));

    List<String> shown =
        driver.findElements(By.cssSelector("#messages li .text")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(shown)
        .containsExactly(
            "before 1",
            "before 2",
            "while away 1",
            "while away 2",
            "while away 3",
            "while away 4",
            "while away 5",
            "after");
    assertThat(driver.findElement(By.id("notice")).isDisplayed())
        .as("nothing was missed")
        .isFalse();
  }
}
