package io.switchboard.broker;

/** What a node hands to the {@link Broker} to receive one room's traffic. */
public interface RoomListener {

  /** A stored message; may arrive late, twice or out of order (see {@link Broker}). */
  void onMessage(ChatMessage message);

  /** An ephemeral event (typing, presence). */
  void onSignal(Signal signal);

  /**
   * The broker may have missed messages for a while (for example its Redis subscription was
   * re-established); the listener should catch up from history.
   */
  default void onResync() {}
}
