/**
 * One WebSocket connection and its single writer: the bounded outgoing queue ({@code Outbox}),
 * frames encoded once for many connections ({@code SharedFrame}), rate and byte budgets, the
 * contract's close codes ({@code Disconnect}), and the Tyrus adapter ({@code TyrusInternals}).
 *
 * <p>May use: {@code security} (who a connection is), {@code broker} (cluster-wide user rates),
 * {@code config}, {@code platform}. Never a feature: what a connection holds is released through
 * the callback its opener gave.
 */
package io.switchboard.connection;
