package io.switchboard.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Browsers;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page and the dashboard in real headless Chromium, against the suite's node. */
class ChatPageIT extends ServerIT {

  @RegisterExtension final Browsers browsers = new Browsers();

  @BeforeEach
  void needsABrowser() {
    Browsers.assumeAvailable();
  }

  private WebDriver page(String user, String room) {
    WebDriver driver = browsers.open();
    driver.get(http().resolve("/?room=" + room + "&user=" + user).toString());
    waitFor(driver, ExpectedConditions.textToBe(By.id("status"), "Connected as " + user));
    waitFor(driver, ExpectedConditions.textToBe(By.id("room-title"), "#" + room));
    return driver;
  }

  private static <T> T waitFor(
      WebDriver driver, org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition);
  }

  private static void send(WebDriver driver, String text) {
    WebElement input = waitFor(driver, ExpectedConditions.elementToBeClickable(By.id("message")));
    input.sendKeys(text);
    driver.findElement(By.id("send")).click();
  }

  private static List<String> messageTexts(WebDriver driver) {
    return driver.findElements(By.cssSelector("#messages li .text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void twoPeopleChatSeeEachOthersMessagesTypingAndPresence() {
    String room = Fixtures.room();
    WebDriver alice = page("alice", room);
    WebDriver bob = page("bob", room);
    waitFor(alice, ExpectedConditions.textToBePresentInElementLocated(By.id("member-list"), "bob"));
    assertThat(bob.findElement(By.id("member-list")).getText()).contains("alice", "bob");

    bob.findElement(By.id("message")).sendKeys("hel");
    waitFor(alice, ExpectedConditions.textToBe(By.id("typing"), "bob is typing…"));
    bob.findElement(By.id("message")).sendKeys("lo alice");
    bob.findElement(By.id("send")).click();
    waitFor(
        alice,
        ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "hello alice"));
    assertThat(alice.findElement(By.cssSelector("#messages li:last-child .author")).getText())
        .isEqualTo("bob");
    waitFor(alice, ExpectedConditions.textToBe(By.id("typing"), ""));

    send(alice, "hi bob");
    waitFor(bob, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "hi bob"));
    assertThat(messageTexts(bob)).containsExactly("hello alice", "hi bob");
    Browsers.readmeScreenshot(alice, "chat.png");

    bob.quit(); // bob's browser goes away: the others see him leave
    waitFor(
        alice,
        ExpectedConditions.not(
            ExpectedConditions.textToBePresentInElementLocated(By.id("member-list"), "bob")));
  }

  @Test
  void markupInAMessageIsShownAsTextAndNeverRuns() {
    String room = Fixtures.room();
    WebDriver alice = page("alice", room);
    WebDriver bob = page("bob", room);
    String attack = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
    send(alice, attack);
    waitFor(
        bob, ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "<img src=x"));
    assertThat(messageTexts(bob)).containsExactly(attack);
    assertThat(bob.findElements(By.cssSelector("#messages img, #messages script"))).isEmpty();
    assertThat(((JavascriptExecutor) bob).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
    assertThat(((JavascriptExecutor) alice).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
  }

  @Test
  void historyIsShownOnJoinAndTheRoomListCountsMembers() {
    String room = Fixtures.room();
    Http api = api();
    api.publish(room, "before you came");
    WebDriver carol = page("carol", room);
    waitFor(
        carol,
        ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "before you came"));
    assertThat(carol.findElement(By.cssSelector("#messages li time")).getText()).isNotBlank();
    carol.navigate().refresh();
    waitFor(carol, ExpectedConditions.textToBe(By.id("status"), "Connected as carol"));
    waitFor(carol, ExpectedConditions.textToBePresentInElementLocated(By.id("all-rooms"), room));
  }

  @Test
  void withoutANameThePageAsksForOneAndErrorsAreInPlainWords() {
    WebDriver driver = browsers.open(390, 844); // a phone-sized window
    driver.get(http().toString());
    WebElement name = waitFor(driver, ExpectedConditions.visibilityOfElementLocated(By.id("name")));
    assertThat(driver.findElement(By.cssSelector("label[for=name]")).getText())
        .isEqualTo("Your name");
    name.sendKeys("dave");
    driver.findElement(By.cssSelector("#guest-form button")).click();
    waitFor(driver, ExpectedConditions.textToBe(By.id("status"), "Connected as dave"));
    String room = Fixtures.room();
    driver.findElement(By.id("join-room")).sendKeys(room);
    driver.findElement(By.cssSelector("#join-form button")).click();
    waitFor(driver, ExpectedConditions.textToBe(By.id("room-title"), "#" + room));
    for (int i = 0; i < 40; i++) {
      ((JavascriptExecutor) driver)
          .executeScript(
              "document.getElementById('message').value = 'spam "
                  + i
                  + "';"
                  + "document.getElementById('send-form').requestSubmit();");
    }
    waitFor(
        driver,
        ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "sending too fast"));
    // The page sends what was held back by itself, each once: nothing typed is lost or doubled.
    new WebDriverWait(driver, Duration.ofSeconds(40))
        .until(d -> d.findElements(By.cssSelector("#messages li .text")).size() >= 40);
    List<String> shown =
        driver.findElements(By.cssSelector("#messages li .text")).stream()
            .map(WebElement::getText)
            .toList();
    for (int i = 0; i < 40; i++) {
      String text = "spam " + i;
      assertThat(shown.stream().filter(text::equals).count()).as(text).isEqualTo(1);
    }
  }

  @Test
  void aUserDisconnectedByTheServerApiIsToldAndThePageDoesNotReconnect() {
    String user = Fixtures.user();
    WebDriver driver = page(user, Fixtures.room());
    java.net.http.HttpResponse<String> answer =
        api()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        http().resolve("api/users/" + user + "/disconnect"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(answer.statusCode()).isEqualTo(202);
    waitFor(
        driver,
        ExpectedConditions.textToBe(
            By.id("signin-error"), "You were disconnected by the service."));
    assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Not connected");
  }
}
