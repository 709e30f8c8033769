package io.switchboard.security.control;

import io.switchboard.broker.InMemoryUserRates;
import io.switchboard.config.Settings;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.ClientAddress;
import io.switchboard.platform.Workers;
import io.switchboard.security.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The HTTP publish endpoints' rate, per credential and per node: the API key is one credential, a
 * publisher token its user's, and an anonymous publisher (guest mode) its address. A burst of twice
 * the rate; past it, 429 with {@code Retry-After}.
 */
@ApplicationScoped
public class PublishRates {

  @Inject Settings settings;
  @Inject Workers workers;

  private InMemoryUserRates rates;

  @PostConstruct
  void start() {
    int rate = settings.limits().publishRate();
    if (rate > 0) {
      InMemoryUserRates buckets = new InMemoryUserRates(rate, 2 * rate, System::nanoTime);
      workers.every(60_000, "Publish rate sweep", buckets::sweep);
      rates = buckets;
    }
  }

  /**
   * Charges one publish to the caller's credential.
   *
   * @throws ApiException 429 past the rate
   */
  public void charge(Caller caller, HttpServletRequest request) {
    if (rates == null) {
      return;
    }
    String credential;
    if (caller instanceof Caller.User user) {
      credential = "user:" + user.user().userId();
    } else if (caller instanceof Caller.ApiKey) {
      credential = "key";
    } else {
      credential = "address:" + ClientAddress.of(request, settings.trustedProxies());
    }
    long wait = rates.take(credential);
    if (wait > 0) {
      throw ApiException.tooMany(
          "rate_limited",
          "Too many publishes with these credentials; slow down",
          (wait + 999) / 1000);
    }
  }
}
