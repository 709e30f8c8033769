package io.switchboard.security.boundary;

import io.switchboard.config.Settings;
import io.switchboard.platform.ApiErrors;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.ClientAddress;
import io.switchboard.platform.QueryString;
import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import io.switchboard.security.control.Admission;
import io.switchboard.security.control.Authenticator;
import io.switchboard.security.control.ClientSlots;
import io.switchboard.security.control.ConnectRate;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Admits a WebSocket handshake before the container upgrades it: identifies the client (a ticket is
 * redeemed here, once) and takes its slot against the per-address and per-user caps, answering HTTP
 * 429 with {@code Retry-After} past a cap, and 503 with {@code Retry-After} past the node's connect
 * rate ({@link ConnectRate}). The slot and identity reach the endpoint through the {@link
 * Admission#LEASE_PARAM} query parameter. A client that cannot be identified is let through: the
 * endpoint closes it with its code (4001, 4002, 1008), as the contract says.
 */
public class WebSocketAdmission extends HttpFilter {

  static final int RETRY_AFTER_SECONDS = 5;

  @Inject Settings settings;
  @Inject Authenticator authenticator;
  @Inject ClientSlots slots;
  @Inject ConnectRate connectRate;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      chain.doFilter(request, response);
      return;
    }
    try {
      connectRate.admit(); // first: a refused handshake during a storm costs next to nothing
    } catch (ApiException busy) {
      ApiErrors.write(response, busy);
      return;
    }
    String query = withoutLease(request.getQueryString());
    Identity identity;
    Rejection rejection = null;
    try {
      identity =
          authenticator.identify(
              QueryString.parse(query),
              authenticator.guestMode()
                  ? null
                  : authenticator.tokenOf(
                      request::getHeader, name -> RoutedServlet.cookie(request, name)));
    } catch (Rejection r) {
      if (r.reason() == Rejection.Reason.UNAVAILABLE) {
        // The identity provider's keys cannot be had: no verdict on the token, so no 4002.
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        ApiErrors.write(
            response,
            new ApiException(503, "unavailable", "The token cannot be checked right now"));
        return;
      }
      identity = null;
      rejection = r;
    }
    ClientSlots.Lease lease;
    try {
      lease =
          slots.acquire(
              ClientSlots.Kind.WEBSOCKET,
              ClientAddress.of(request, settings.trustedProxies()),
              identity);
    } catch (ClientSlots.Refused refused) {
      response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      ApiErrors.write(
          response, new ApiException(429, "too_many_connections", refused.getMessage()));
      return;
    }
    if (rejection != null) {
      lease.rejected(rejection.reason()); // the endpoint closes with its code
    }
    String passed =
        (query == null || query.isEmpty() ? "" : query + "&")
            + Admission.LEASE_PARAM
            + "="
            + lease.id();
    slots.await(lease);
    try {
      chain.doFilter(
          new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
              return passed;
            }

            /**
             * The local address, not its host name: Tyrus asks for it at every upgrade, and the
             * container resolves it each time (a look at /etc/hosts, or DNS).
             */
            @Override
            public String getLocalName() {
              return getLocalAddr();
            }
          },
          response);
    } finally {
      if (response.getStatus() != 101 && slots.claim(lease.id()) != null) {
        lease.release(); // not upgraded: nobody will open it
      }
    }
  }

  /** The query without a lease parameter the client wrote itself. */
  static String withoutLease(String query) {
    if (query == null || !query.contains(Admission.LEASE_PARAM)) {
      return query;
    }
    return Arrays.stream(query.split("&"))
        .filter(p -> !p.startsWith(Admission.LEASE_PARAM + "=") && !p.equals(Admission.LEASE_PARAM))
        .collect(Collectors.joining("&"));
  }
}
