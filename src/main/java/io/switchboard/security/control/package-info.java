/** Authentication (tokens, tickets, the API key), access checks, and the client slot ledger. */
package io.switchboard.security.control;
