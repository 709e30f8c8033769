package io.switchboard.broker;

/** A chat message before the {@link Broker} has given it an offset and a timestamp. */
public record ChatDraft(String room, String id, String user, String userId, String message) {}
