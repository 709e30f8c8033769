/**
 * What every other package may use and that uses none of them: JSON, the API's error bodies,
 * request parsing, client addresses, the container's TCP connection, thread pools, token buckets.
 */
package io.switchboard.platform;
