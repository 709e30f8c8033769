package io.switchboard.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Browsers;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in token mode when its token ends: with the embedding page's hook ({@code
 * window.switchboardGetToken}) it refreshes on {@code expiring} and stays on the same connection;
 * without one it is closed with 4004 and asks the user to sign in again.
 */
class TokenRefreshPageIT {

  private static final long SKEW_SECONDS = 1;
  private static PayaraNode node;

  @RegisterExtension final Browsers browsers = new Browsers();

  @BeforeAll
  static void start() throws Exception {
    if (Browsers.available()) {
      node =
          PayaraNode.start(
              "token-refresh-page",
              Map.of(
                  "switchboard.auth.jwt-secret",
                  Tokens.SECRET,
                  "mp.jwt.verify.clock.skew",
                  String.valueOf(SKEW_SECONDS),
                  "switchboard.auth.expiring.seconds",
                  "4"));
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @BeforeEach
  void needsABrowser() {
    Browsers.assumeAvailable();
  }

  /** The page signed in with {@code token}, in {@code room}, its status texts recorded. */
  private WebDriver signedIn(String token, String room, String hook) {
    WebDriver driver = browsers.open();
    driver.get(node.http().resolve("/favicon-none").toString());
    js(driver).executeScript("sessionStorage.setItem('switchboard.token', arguments[0])", token);
    driver.get(node.http().resolve("/?room=" + room).toString());
    if (hook != null) {
      js(driver).executeScript(hook);
    }
    js(driver)
        .executeScript(
            "window.statuses = [];"
                + "new MutationObserver(() => window.statuses.push("
                + "document.getElementById('status').textContent))"
                + ".observe(document.getElementById('status'),"
                + " {childList: true, characterData: true, subtree: true});");
    wait(driver, 20).until(ExpectedConditions.textToBe(By.id("room-title"), "#" + room));
    return driver;
  }

  private static JavascriptExecutor js(WebDriver driver) {
    return (JavascriptExecutor) driver;
  }

  private static WebDriverWait wait(WebDriver driver, int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }

  @Test
  void withTheHookThePageRefreshesOnExpiringAndKeepsItsConnection() {
    String room = Fixtures.room();
    long exp = System.currentTimeMillis() / 1000 + 8;
    String first = Tokens.user("page-user").name("Paige").claim("exp", exp).build();
    String later = Tokens.user("page-user").name("Paige").expiresInSeconds(3600).build();
    WebDriver driver =
        signedIn(
            first,
            room,
            "window.refreshes = 0; window.switchboardGetToken = async () => {"
                + " window.refreshes++; return '"
                + later
                + "'; };");
    wait(driver, 20).until(ExpectedConditions.textToBe(By.id("status"), "Connected as Paige"));
    wait(driver, 20)
        .until(d -> ((Number) js(d).executeScript("return window.refreshes")).intValue() >= 1);
    long pastFirst = (exp + SKEW_SECONDS + 2) * 1000;
    wait(driver, 20).until(d -> System.currentTimeMillis() > pastFirst);

    WebElement input = driver.findElement(By.id("message"));
    input.sendKeys("still here");
    driver.findElement(By.id("send")).click();
    wait(driver, 10)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "still here"));
    assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Connected as Paige");
    @SuppressWarnings("unchecked")
    List<String> statuses = (List<String>) js(driver).executeScript("return window.statuses");
    assertThat(statuses).as("the connection never went away").allMatch(s -> s.startsWith("Conn"));
    assertThat(statuses).noneMatch(s -> s.contains("econnect"));
    assertThat(js(driver).executeScript("return sessionStorage.getItem('switchboard.token')"))
        .as("the fresh token is the one the next ticket is made from")
        .isEqualTo(later);
  }

  @Test
  void withoutTheHookThePageIsClosedAtExpiryAndAsksToSignInAgain() {
    String room = Fixtures.room();
    long exp = System.currentTimeMillis() / 1000 + 5;
    String token = Tokens.user("no-hook").name("Nora").claim("exp", exp).build();
    WebDriver driver = signedIn(token, room, null);
    wait(driver, 20).until(ExpectedConditions.textToBe(By.id("status"), "Connected as Nora"));
    wait(driver, 20)
        .until(
            ExpectedConditions.textToBe(
                By.id("signin-error"), "Your session ended; sign in again."));
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp * 1000);
    @SuppressWarnings("unchecked")
    List<String> statuses = (List<String>) js(driver).executeScript("return window.statuses");
    assertThat(statuses).contains("Your session expired; reconnecting…");
  }
}
