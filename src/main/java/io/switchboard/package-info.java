/**
 * Switchboard: chat rooms over WebSocket, notifications over Server-Sent Events, and scale-out over
 * Redis, in one WAR.
 *
 * <p>Dependencies point one way: the features ({@code chat}, {@code notifications}, {@code ops})
 * over the seams ({@code connection}, {@code security}, {@code broker}) over {@code config} and
 * {@code platform}. {@code LayersTest} keeps it so.
 */
package io.switchboard;
