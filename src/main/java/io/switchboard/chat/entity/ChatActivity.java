package io.switchboard.chat.entity;

/**
 * What chat announces as it happens, as a CDI event, for whoever counts it ({@code ops} observes
 * it): chat never calls up into operations.
 *
 * @param kind what happened
 * @param nanos for {@link Kind#PUBLISH_ANSWERED}, how long the broker took to answer; else 0
 */
public record ChatActivity(Kind kind, long nanos) {

  public enum Kind {
    /** The broker answered a publish (stored, a repeat, or unavailable). */
    PUBLISH_ANSWERED,
    /** A new message was stored (a repeat of an earlier one is not counted). */
    ACCEPTED,
    /** An ack went to a sender. */
    ACK_SENT,
    /** A frame was answered {@code rate_limited}. */
    RATE_LIMITED
  }

  public static final ChatActivity ACCEPTED = new ChatActivity(Kind.ACCEPTED, 0);
  public static final ChatActivity ACK_SENT = new ChatActivity(Kind.ACK_SENT, 0);
  public static final ChatActivity RATE_LIMITED = new ChatActivity(Kind.RATE_LIMITED, 0);

  public static ChatActivity publishAnswered(long nanos) {
    return new ChatActivity(Kind.PUBLISH_ANSWERED, nanos);
  }
}
