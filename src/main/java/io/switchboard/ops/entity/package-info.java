/** The stats documents of the HTTP API. */
package io.switchboard.ops.entity;
