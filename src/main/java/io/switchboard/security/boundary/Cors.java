package io.switchboard.security.boundary;

import io.switchboard.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * CORS for the API, only for the configured {@code switchboard.allowed-origins}: other origins get
 * no CORS headers, so browsers keep them out. Answers preflight requests itself.
 */
public class Cors extends HttpFilter {

  @Inject Settings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    boolean allowed =
        origin != null
            && settings.allowedOrigins().contains(origin.trim().toLowerCase(Locale.ROOT));
    if (allowed) {
      response.setHeader("Access-Control-Allow-Origin", origin.trim());
      response.addHeader("Vary", "Origin");
      response.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate, Retry-After");
      if ("OPTIONS".equals(request.getMethod())
          && request.getHeader("Access-Control-Request-Method") != null) {
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        response.setHeader(
            "Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(204);
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
