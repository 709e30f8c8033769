package io.switchboard.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket that keeps only its first text frame: for tests about the handshake and the
 * {@code welcome}, not the conversation ({@link WsClient} is for that).
 */
public record FirstText(WebSocket socket, CompletableFuture<String> first) {

  /** Opens {@code uri} (the handshake's failure is thrown, as the JDK reports it). */
  public static FirstText open(HttpClient http, URI uri) throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    first.complete(data.toString());
                    return null;
                  }
                })
            .get(20, TimeUnit.SECONDS);
    return new FirstText(socket, first);
  }

  /** The first text frame, waiting at most {@code millis}. */
  public String await(long millis) throws Exception {
    return first.get(millis, TimeUnit.MILLISECONDS);
  }
}
