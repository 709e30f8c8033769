/** The chat frames of the wire contract, client and server, and chat's error codes and events. */
package io.switchboard.chat.entity;
