package io.switchboard.security.boundary;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.connection.Disconnect;
import io.switchboard.platform.ApiErrors;
import io.switchboard.platform.QueryString;
import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import io.switchboard.security.control.Authenticator;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Who may call which {@code /api} endpoint. Token mode: reads need a valid user token (header, or
 * {@code ?token=}/{@code ?ticket=} for event streams, which browsers cannot give headers);
 * publishing needs the API key or a token with the {@code publisher} role. Guest mode: reads are
 * open; publishing needs the API key when one is configured, else it is open (a demo).
 *
 * <p>Missing or invalid credentials: 401 with {@code WWW-Authenticate: Bearer}. Valid credentials
 * without the right: 403. The identity goes to the resources as a request property.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiSecurity implements ContainerRequestFilter {

  /** The request property holding the caller's {@link Identity} (absent for the API key). */
  public static final String IDENTITY = "switchboard.identity";

  private static final Logger LOG = Logger.getLogger(ApiSecurity.class.getName());
  private static final AtomicBoolean OPEN_PUBLISH_LOGGED = new AtomicBoolean();

  @Inject Authenticator authenticator;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    path = path.startsWith("/") ? path.substring(1) : path;
    String method = request.getMethod();
    if ("OPTIONS".equals(method)) {
      return;
    }
    String bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    try {
      if ("POST".equals(method) && isPublish(path)) {
        publish(request, bearer);
      } else if ("POST".equals(method) && path.equals("tickets")) {
        if (authenticator.guestMode()) {
          return; // the resource explains that guests need no ticket
        }
        user(request, bearer, Map.of());
      } else if (!authenticator.guestMode()) {
        user(
            request, bearer, QueryString.parse(request.getUriInfo().getRequestUri().getRawQuery()));
      }
    } catch (Refused refused) {
      request.abortWith(refused.response);
    }
  }

  private static boolean isPublish(String path) {
    return path.equals("notifications") || path.matches("rooms/[^/]+/messages");
  }

  private void publish(ContainerRequestContext request, String bearer) throws Refused {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return;
    }
    if (bearer == null) {
      if (authenticator.openPublishing()) {
        if (OPEN_PUBLISH_LOGGED.compareAndSet(false, true)) {
          LOG.info("Publishing without credentials (guest mode, no API key configured)");
        }
        return;
      }
      throw Refused.unauthorized("Publishing needs the API key or a publisher token", false);
    }
    if (authenticator.guestMode()) {
      throw Refused.unauthorized("Wrong API key", true);
    }
    Identity identity = verify(bearer);
    if (!identity.roles().contains("publisher")) {
      throw Refused.forbidden("This token has no publisher role");
    }
    request.setProperty(IDENTITY, identity);
  }

  private void user(ContainerRequestContext request, String bearer, Map<String, List<String>> query)
      throws Refused {
    if (bearer != null && authenticator.isApiKey(bearer)) {
      return; // backends (and metrics scrapers) may read with the API key
    }
    if (bearer != null) {
      request.setProperty(IDENTITY, verify(bearer));
      return;
    }
    if (first(query, "token") != null || first(query, "ticket") != null) {
      try {
        request.setProperty(IDENTITY, authenticator.identify(query));
        return;
      } catch (Rejection r) {
        throw Refused.unauthorized("Invalid token", true);
      }
    }
    throw Refused.unauthorized("A token is required", false);
  }

  private Identity verify(String token) throws Refused {
    try {
      return authenticator.verify(token);
    } catch (Rejection r) {
      throw Refused.unauthorized(
          r.disconnect() == Disconnect.INVALID_TOKEN ? "Invalid token" : "A token is required",
          true);
    }
  }

  private static String bearer(String authorization) {
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

  /** A refusal with its response; never carries the credential. */
  private static final class Refused extends Exception {
    final Response response;

    private Refused(Response response) {
      super(null, null, false, false);
      this.response = response;
    }

    static Refused unauthorized(String message, boolean invalid) {
      return new Refused(
          ApiErrors.response(401, "unauthorized", message)
              .header(
                  HttpHeaders.WWW_AUTHENTICATE,
                  invalid ? "Bearer error=\"invalid_token\"" : "Bearer")
              .build());
    }

    static Refused forbidden(String message) {
      return new Refused(ApiErrors.response(403, "forbidden", message).build());
    }
  }
}
