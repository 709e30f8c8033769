/**
 * The notification hub (this node's streams, fed in id order by the shared {@link
 * io.switchboard.broker.Sequencer}) and one stream's bounded, non-blocking writer ({@code
 * SseStream}).
 */
package io.switchboard.notifications.control;
