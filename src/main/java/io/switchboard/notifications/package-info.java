/**
 * Notifications over Server-Sent Events: backends publish with {@code POST /api/notifications},
 * browsers receive on {@code /api/events} (everyone's) or {@code /api/events/me} (their own).
 *
 * <p>Requirements: ids strictly increase across the cluster (the broker assigns them); a client
 * that reconnects with {@code Last-Event-ID} gets every later kept notification that matches its
 * filter, in order, once; an id older than what is kept gets a {@code resync} event first. A slow
 * or gone client never delays the others and is dropped past its queue bound.
 *
 * <p>Why our own sink registry instead of {@code SseBroadcaster}: per-client filters (topics,
 * user), per-client cursors for replay, and a bounded queue per client.
 *
 * <p>Out of scope: SSE topics are not restricted by the token's {@code rooms} claim.
 */
package io.switchboard.notifications;
