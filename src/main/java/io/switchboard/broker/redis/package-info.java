/**
 * The Redis implementation of the broker seam: one Lua script per operation ({@code Scripts}), keys
 * and payloads in one place each ({@code Keys}, {@code Codec}), one pipeline per node for
 * publishes, one subscription per node, and a connection pool that fails fast while Redis is down.
 *
 * <p>Only {@code broker.setup} may name these classes; everything else sees the seam.
 */
package io.switchboard.broker.redis;
