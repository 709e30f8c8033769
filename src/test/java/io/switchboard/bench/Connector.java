package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load process that holds idle WebSocket connections for the connections scenario (one process
 * may open only so many files, so the benchmark spreads connections over several of these).
 *
 * <p>Reads commands on standard input: {@code open <n>} opens n more connections, 64 at a time, and
 * answers {@code opened <open> <failed> <closed by server>}; {@code status} answers the same line;
 * end of input closes everything and exits. Arguments: the WebSocket URL prefix (the connection's
 * number and {@code ?history=0&user=…} are appended), the process's first connection number and how
 * many connections share a room.
 */
public final class Connector {

  public static void main(String[] args) throws Exception {
    String prefix = args[0];
    int first = Integer.parseInt(args[1]);
    int perRoom = Integer.parseInt(args[2]);
    HttpClient client = HttpClient.newHttpClient();
    List<WebSocket> sockets = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.incrementAndGet();
            return null;
          }
        };
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int next = first;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("open ")) {
        int count = Integer.parseInt(line.substring(5).trim());
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++, next++) {
          inFlight.acquire();
          URI uri = URI.create(prefix + (next / perRoom) + "?history=0&user=c" + next);
          CompletableFuture<WebSocket> future =
              client
                  .newWebSocketBuilder()
                  .connectTimeout(java.time.Duration.ofSeconds(30))
                  .buildAsync(uri, listener)
                  .whenComplete((ws, e) -> inFlight.release());
          opening.add(future);
        }
        for (CompletableFuture<WebSocket> future : opening) {
          try {
            sockets.add(future.get(60, TimeUnit.SECONDS));
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }
      System.out.println(
          "opened " + (sockets.size() - closed.get()) + " " + failed.get() + " " + closed.get());
      System.out.flush();
    }
    sockets.forEach(WebSocket::abort);
    System.exit(0);
  }
}
