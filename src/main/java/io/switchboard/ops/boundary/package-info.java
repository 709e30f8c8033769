/**
 * The operations endpoints: {@code /api/stats}, {@code /api/stats/stream}, {@code /api/metrics}.
 */
package io.switchboard.ops.boundary;
