/** The security filters and resources: method rights, the WebSocket admission, tickets. */
package io.switchboard.security.boundary;
