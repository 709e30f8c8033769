package io.switchboard.security.boundary;

import io.switchboard.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Security headers on every response. The pages load their scripts and styles from this server only
 * and never inline: the Content-Security-Policy forbids inline script, and lets the pages connect
 * only to this origin (its {@code ws:}/{@code wss:} included) and the configured allowed origins.
 * Over HTTPS (or from a trusted proxy that says it terminated TLS), Strict-Transport-Security.
 */
public class SecurityHeaders extends HttpFilter {

  static final String HSTS = "max-age=31536000; includeSubDomains";

  @Inject Settings settings;

  private volatile String csp;

  /** The policy, for these allowed origins (each also as its WebSocket origin). */
  static String csp(List<String> allowedOrigins) {
    String others =
        allowedOrigins.stream()
            .map(o -> o + " " + o.replaceFirst("^http", "ws"))
            .collect(Collectors.joining(" "));
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        + " connect-src 'self'"
        + (others.isEmpty() ? "" : " " + others)
        + "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String policy = csp;
    if (policy == null) {
      policy = csp(settings.allowedOrigins());
      csp = policy;
    }
    response.setHeader("Content-Security-Policy", policy);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    if (request.isSecure() || forwardedOverTls(request)) {
      response.setHeader("Strict-Transport-Security", HSTS);
    }
    chain.doFilter(request, response);
  }

  private boolean forwardedOverTls(HttpServletRequest request) {
    return "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))
        && settings.trustedProxies().contains(request.getRemoteAddr());
  }
}
