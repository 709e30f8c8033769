/**
 * Who a client is and what it may do: guest and token modes, tokens and tickets, the rights of
 * every API method ({@code @Requires}), the caps on what one client may hold, and the handshake
 * filter that takes a WebSocket's slot before the upgrade.
 *
 * <p>May use: {@code broker} (the ticket ledger), {@code config}, {@code platform}. It knows no
 * connection: a refusal says why ({@link io.switchboard.security.Rejection.Reason}), and the
 * connection layer turns it into a close code.
 */
package io.switchboard.security;
