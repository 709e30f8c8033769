package io.switchboard.broker;

/** A notification before the {@link Broker} has given it an id and a timestamp. */
public record NotificationDraft(String topic, String event, String data, String user) {}
