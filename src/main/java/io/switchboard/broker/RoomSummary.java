package io.switchboard.broker;

/** A room with history: its name and latest offset. */
public record RoomSummary(String room, long latestOffset) {}
