package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.Published;
import io.switchboard.chat.entity.ChatActivity;
import io.switchboard.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way a chat message is stored, whatever it came by (a WebSocket frame or an HTTP publish):
 * through the broker's asynchronous path (with Redis, the node's pipeline, which answers only once
 * the outcome is known), with one id scheme for messages that came without an id, and one
 * announcement of what happened.
 */
@ApplicationScoped
public class Publisher {

  @Inject Broker broker;
  @Inject Settings settings;
  @Inject Event<ChatActivity> activity;

  private final AtomicLong ids = new AtomicLong();

  /** An id for a message that came without one: this node's, never repeated while it runs. */
  public String newId() {
    return settings.nodeId() + "-" + ids.incrementAndGet();
  }

  /**
   * Stores and publishes; completes with where the message is (a repeat of an earlier one: the
   * original's place), or fails with {@link io.switchboard.broker.BrokerUnavailableException}.
   */
  public CompletableFuture<Published> publish(ChatDraft draft) {
    long started = System.nanoTime();
    return broker
        .publishAsync(draft)
        .whenComplete(
            (stored, failure) -> {
              activity.fire(ChatActivity.publishAnswered(System.nanoTime() - started));
              if (failure == null && !stored.duplicate()) {
                activity.fire(ChatActivity.ACCEPTED);
              }
            });
  }

  /** As {@link #publish}, waiting for the answer (an HTTP request). */
  public Published publishAndWait(ChatDraft draft) {
    try {
      return publish(draft).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
