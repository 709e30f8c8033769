package io.switchboard.broker;

/** One connection of one user in a room. */
public record Member(String userId, String user, String connectionId) {}
