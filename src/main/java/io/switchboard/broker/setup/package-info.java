/**
 * Chooses and builds the seam's implementations from the configuration (in memory, or Redis) and
 * produces them for injection. The one place that knows both.
 */
package io.switchboard.broker.setup;
