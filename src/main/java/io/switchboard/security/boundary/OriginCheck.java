package io.switchboard.security.boundary;

import io.switchboard.config.Settings;
import io.switchboard.platform.ApiErrors;
import io.switchboard.platform.Json;
import io.switchboard.security.control.Authenticator;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses WebSocket handshakes from origins that are not allowed, with 403 and no upgrade (runs
 * before the container's WebSocket filter; see web.xml). A handshake without {@code Origin} (not a
 * browser) is allowed. Allowed: the configured {@code switchboard.allowed-origins}; without that,
 * any origin in guest mode and only the server's own origin in token mode.
 */
public class OriginCheck extends HttpFilter {

  @Inject Settings settings;
  @Inject Authenticator authenticator;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    if (origin == null || allowed(origin, request)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(403);
    response.setContentType("application/json");
    response
        .getWriter()
        .write(Json.get().write(new ApiErrors.Body("forbidden", "Origin not allowed")));
  }

  private boolean allowed(String origin, HttpServletRequest request) {
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (!settings.allowedOrigins().isEmpty()) {
      return settings.allowedOrigins().contains(normalized);
    }
    return authenticator.guestMode() || sameOrigin(normalized, request.getHeader("Host"));
  }

  /** Whether the origin names the host the client connected to (as the Host header says). */
  static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      String expected = host.toLowerCase(Locale.ROOT);
      return expected.equals(uri.getHost() + ":" + port)
          || (expected.equals(uri.getHost()) && (port == 80 || port == 443));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
