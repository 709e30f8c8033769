package io.switchboard.security.control;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * Who a new WebSocket is, and the slot it holds: the identity and slot the handshake's filter found
 * ({@code WebSocketAdmission}), passed on in the query as {@link #LEASE_PARAM}; or, where no filter
 * ran, the identity from the query alone.
 */
@ApplicationScoped
public class Admission {

  /** The query parameter the handshake filter passes a slot's id in (a client's is replaced). */
  public static final String LEASE_PARAM = "switchboard.lease";

  @Inject Authenticator authenticator;
  @Inject ClientSlots slots;

  /** An admitted connection: who it is, and what gives its slot back when it ends. */
  public record Admitted(Identity identity, Runnable release) {}

  /**
   * Admits a connection from its query.
   *
   * @throws Rejection with the close code (the slot is given back)
   */
  public Admitted admit(Map<String, List<String>> query) throws Rejection {
    ClientSlots.Lease lease = slots.claim(first(query, LEASE_PARAM));
    try {
      if (lease != null && lease.rejection() != null) {
        throw new Rejection(lease.rejection()); // a credential the handshake's filter refused
      }
      Identity identity =
          lease != null && lease.identity() != null
              ? lease.identity()
              : authenticator.identify(query);
      return new Admitted(identity, lease == null ? () -> {} : lease::release);
    } catch (Rejection | RuntimeException e) {
      if (lease != null) {
        lease.release();
      }
      throw e;
    }
  }
}
