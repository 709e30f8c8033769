/**
 * Counting and lifecycle: Prometheus metrics ({@code Metrics}, observing {@link
 * io.switchboard.chat.entity.ChatActivity}), node and cluster stats, readiness, and the drain on
 * shutdown.
 */
package io.switchboard.ops.control;
