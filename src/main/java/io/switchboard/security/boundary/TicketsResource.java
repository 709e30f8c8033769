package io.switchboard.security.boundary;

import io.switchboard.platform.ApiException;
import io.switchboard.security.Identity;
import io.switchboard.security.Right;
import io.switchboard.security.control.Authenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/tickets}: trades the caller's token (in the Authorization header) for a one-use
 * ticket valid for 30 s, so that a browser never puts its long-lived token in a URL. The request
 * has no body.
 */
@Path("tickets")
@ApplicationScoped
public class TicketsResource {

  @Inject Authenticator authenticator;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.USER)
  public String ticket(@Context HttpServletRequest request) {
    Identity identity =
        ApiAccess.caller(request)
            .identity()
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "Guest mode: connect with ?user=, no ticket is needed"));
    return "{\"ticket\":\""
        + authenticator.ticketFor(identity)
        + "\",\"expiresInSeconds\":"
        + Authenticator.TICKET_LIFETIME.toSeconds()
        + "}";
  }
}
