/**
 * Operations: health, metrics, stats, the dashboard's stream, start and drain. It observes the
 * features (their events and counters) and may use every other package; nothing uses it but the
 * container.
 */
package io.switchboard.ops;
