package io.switchboard.security.control;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.platform.ApiException;
import io.switchboard.security.Caller;
import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import io.switchboard.security.Right;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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

  /** How long a client waits before asking again when its token cannot be checked now. */
  static final int RETRY_AFTER_SECONDS = 5;

  /**
   * The caller, when it has the right.
   *
   * @param header the request's headers by name ({@code Authorization} carries the API key, and by
   *     default users' tokens)
   * @param cookie the request's cookies by name (users' tokens, when so configured)
   * @param query the request's query parameters ({@code token}, {@code ticket})
   * @throws AccessDenied 401 or 403
   * @throws ApiException 503 when the token cannot be checked now
   */
  public Caller check(
      Right right,
      Function<String, String> header,
      Function<String, String> cookie,
      Map<String, List<String>> query) {
    String bearer = bearer(header.apply("Authorization"));
    String token = authenticator.guestMode() ? bearer : authenticator.tokenOf(header, cookie);
    return switch (right) {
      case READ -> read(bearer, token, query);
      case PUBLISH -> publish(bearer, token);
      case USER -> user(bearer, token);
    };
  }

  /** {@link #check} for a request with only an {@code Authorization} header (or none). */
  public Caller check(Right right, String authorization, Map<String, List<String>> query) {
    return check(
        right,
        name -> "Authorization".equalsIgnoreCase(name) ? authorization : null,
        name -> null,
        query);
  }

  private Caller read(String bearer, String token, Map<String, List<String>> query) {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return API_KEY; // backends and metrics scrapers read with the key
    }
    if (authenticator.guestMode()) {
      return ANONYMOUS;
    }
    if (token != null) {
      return new Caller.User(verify(token));
    }
    if (first(query, "token") != null || first(query, "ticket") != null) {
      try {
        return new Caller.User(authenticator.identify(query));
      } catch (Rejection r) {
        throw denied(r);
      }
    }
    throw AccessDenied.unauthorized("A token is required", false);
  }

  private Caller publish(String bearer, String token) {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return API_KEY;
    }
    if (token == null) {
      if (bearer != null) {
        throw AccessDenied.unauthorized("Wrong API key", true);
      }
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
    Identity identity = verify(token);
    if (!identity.roles().contains("publisher")) {
      throw AccessDenied.forbidden("This token has no publisher role");
    }
    return new Caller.User(identity);
  }

  private Caller user(String bearer, String token) {
    if (authenticator.guestMode()) {
      return ANONYMOUS;
    }
    if ((bearer != null && authenticator.isApiKey(bearer))
        || (token != null && authenticator.isApiKey(token))) {
      throw AccessDenied.forbidden("The API key is not a user; send a user's token");
    }
    if (token == null) {
      throw AccessDenied.unauthorized("A token is required", false);
    }
    return new Caller.User(verify(token));
  }

  private Identity verify(String token) {
    try {
      return authenticator.verify(token);
    } catch (Rejection r) {
      throw denied(r);
    }
  }

  /** 401 for a bad or missing credential; 503 when it cannot be checked now. */
  private static ApiException denied(Rejection r) {
    return switch (r.reason()) {
      case UNAVAILABLE ->
          new ApiException(
              503,
              "unavailable",
              "The token cannot be checked right now; try again",
              Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
      case AUTHENTICATION_REQUIRED -> AccessDenied.unauthorized("A token is required", true);
      default -> AccessDenied.unauthorized("Invalid token", true);
    };
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
