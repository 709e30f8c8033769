/**
 * The chat endpoints and the rooms resource: they turn container callbacks and HTTP requests into
 * calls of {@code chat.control}, and nothing else (no logic, no state beyond the one connection an
 * endpoint instance serves).
 */
package io.switchboard.chat.boundary;
