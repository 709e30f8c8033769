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
   * The publisher's credential: {@code key} for the API key, {@code user:<userId>} for a token,
   * {@code address:<address>} for an anonymous publisher. Rates and Idempotency-Keys are its.
   */
  public String credential(Caller caller, HttpServletRequest request) {
    if (caller instanceof Caller.User user) {
      return "user:" + user.user().userId();
    }
    if (caller instanceof Caller.ApiKey) {
      return "key";
    }
    return "address:" + ClientAddress.of(request, settings.trustedProxies());
  }

  /**
   * The dedup key of an HTTP publish with an {@code Idempotency-Key} (the caller's own: another
   * credential's equal key is another publish), or null without one.
   *
   * @throws ApiException 400 for a key that is not 1 to 128 visible ASCII characters
   */
  public String idempotencyKey(Caller caller, HttpServletRequest request, String header) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty()
        || header.length() > 128
        || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw ApiException.badRequest("Idempotency-Key must be 1 to 128 visible ASCII characters");
    }
    return "k:" + credential(caller, request) + "\n" + header;
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
    long wait = rates.take(credential(caller, request));
    if (wait > 0) {
      throw ApiException.tooMany(
          "rate_limited",
          "Too many publishes with these credentials; slow down",
          (wait + 999) / 1000);
    }
  }
}
