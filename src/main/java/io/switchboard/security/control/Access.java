package io.switchboard.security.control;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.security.Caller;
import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import io.switchboard.security.Right;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Decides whether a caller has a {@link Right}, from its {@code Authorization} header and query,
 * and says who it is. The HTTP API asks this for the method it matched, never by its path.
 */
@ApplicationScoped
public class Access {

  private static final Logger LOG = Logger.getLogger(Access.class.getName());
  private static final AtomicBoolean OPEN_PUBLISH_LOGGED = new AtomicBoolean();
  private static final Caller API_KEY = new Caller.ApiKey();
  private static final Caller ANONYMOUS = new Caller.Anonymous();

  @Inject Authenticator authenticator;

  /**
   * The caller, when it has the right.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param query the request's query parameters ({@code token}, {@code ticket})
   * @throws AccessDenied 401 or 403
   */
  public Caller check(Right right, String authorization, Map<String, List<String>> query) {
    String bearer = bearer(authorization);
    return switch (right) {
      case READ -> read(bearer, query);
      case PUBLISH -> publish(bearer);
      case USER -> user(bearer);
    };
  }

  private Caller read(String bearer, Map<String, List<String>> query) {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return API_KEY; // backends and metrics scrapers read with the key
    }
    if (authenticator.guestMode()) {
      return ANONYMOUS;
    }
    if (bearer != null) {
      return new Caller.User(verify(bearer));
    }
    if (first(query, "token") != null || first(query, "ticket") != null) {
      try {
        return new Caller.User(authenticator.identify(query));
      } catch (Rejection r) {
        throw AccessDenied.unauthorized("Invalid token", true);
      }
    }
    throw AccessDenied.unauthorized("A token is required", false);
  }

  private Caller publish(String bearer) {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return API_KEY;
    }
    if (bearer == null) {
      if (authenticator.openPublishing()) {
        if (OPEN_PUBLISH_LOGGED.compareAndSet(false, true)) {
          LOG.info("Publishing without credentials (guest mode, no API key configured)");
        }
        return ANONYMOUS;
      }
      throw AccessDenied.unauthorized("Publishing needs the API key or a publisher token", false);
    }
    if (authenticator.guestMode()) {
      throw AccessDenied.unauthorized("Wrong API key", true);
    }
    Identity identity = verify(bearer);
    if (!identity.roles().contains("publisher")) {
      throw AccessDenied.forbidden("This token has no publisher role");
    }
    return new Caller.User(identity);
  }

  private Caller user(String bearer) {
    if (authenticator.guestMode()) {
      return ANONYMOUS;
    }
    if (bearer == null) {
      throw AccessDenied.unauthorized("A token is required", false);
    }
    if (authenticator.isApiKey(bearer)) {
      throw AccessDenied.forbidden("The API key is not a user; send a user's token");
    }
    return new Caller.User(verify(bearer));
  }

  private Identity verify(String token) {
    try {
      return authenticator.verify(token);
    } catch (Rejection r) {
      throw AccessDenied.unauthorized(
          r.reason() == Rejection.Reason.INVALID_TOKEN ? "Invalid token" : "A token is required",
          true);
    }
  }

  /** The credential of {@code Authorization: Bearer <credential>}, or null. */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String credential = value.substring(7).trim();
      return credential.isEmpty() ? null : credential;
    }
    return null;
  }
}
