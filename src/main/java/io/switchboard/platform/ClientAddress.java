package io.switchboard.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The address a client connects from: the peer's address, or, when the peer is a trusted proxy, the
 * last address in {@code X-Forwarded-For} that is not a trusted proxy (the one the nearest trusted
 * proxy saw). Entries a client wrote itself come before that and are never believed.
 */
public final class ClientAddress {

  private static final Logger LOG = Logger.getLogger(ClientAddress.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ClientAddress() {}

  public static String of(HttpServletRequest request, List<String> trustedProxies) {
    return of(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"), trustedProxies);
  }

  static String of(String peer, String forwardedFor, List<String> trustedProxies) {
    if (!trustedProxies.contains(peer)) {
      if (forwardedFor != null) {
        if (WARNED.compareAndSet(false, true)) {
          LOG.warning(
              "Requests arrive with X-Forwarded-For from "
                  + peer
                  + ", which is not in switchboard.trusted-proxies: the per-address caps count"
                  + " every client behind it as that one address");
        }
      }
      return peer;
    }
    if (forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return peer;
  }
}
