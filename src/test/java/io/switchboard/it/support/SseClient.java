package io.switchboard.it.support;

import static org.assertj.core.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent-Events client on the JDK's HTTP client: reads the stream line by line and parses
 * events as the EventSource specification does, keeping comments and retry fields visible.
 */
public final class SseClient implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** One dispatched block of the stream. Comment-only blocks have only {@code comment}. */
  public record Event(String id, String name, String data, String comment, Long retry) {
    public JsonObject json() {
      return Http.object(data);
    }

    public boolean isData() {
      return data != null;
    }
  }

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(URI uri, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      response = CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot open " + uri + ": " + e, e);
    }
    reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  public static SseClient open(URI uri) {
    return new SseClient(uri, Map.of());
  }

  public static SseClient open(URI uri, Map<String, String> headers) {
    return new SseClient(uri, headers);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = null;
      String comment = null;
      Long retry = null;
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        if (line.isEmpty()) {
          if (data != null || comment != null || retry != null) {
            events.add(new Event(id, name, data == null ? null : data.toString(), comment, retry));
          }
          id = null;
          name = null;
          data = null;
          comment = null;
          retry = null;
          continue;
        }
        if (line.startsWith(":")) {
          comment = line.substring(1).trim();
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "retry" -> retry = Long.parseLong(value);
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
    } catch (Exception e) {
      // the stream ended or was closed
    } finally {
      ended = true;
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  public String body() {
    return String.join("\n", lines);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public boolean ended() {
    return ended;
  }

  /** The next block of any kind (data, comment or retry). */
  public Event next(Duration wait) {
    try {
      Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        fail("No SSE event within " + wait + "; lines so far: " + lines());
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next event that carries data (skips heartbeats). */
  public Event nextData() {
    return await(Event::isData);
  }

  public Event await(Predicate<Event> condition) {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return fail("No matching SSE event within " + WsClient.WAIT + "; lines: " + lines());
      }
      Event event = next(Duration.ofNanos(left));
      if (condition.test(event)) {
        return event;
      }
    }
  }

  /** Data events that arrive within {@code quiet} of each other. */
  public List<Event> drainData(Duration quiet) {
    List<Event> out = new ArrayList<>();
    try {
      Event event;
      while ((event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        if (event.isData()) {
          out.add(event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (Exception e) {
      // closing anyway
    }
    reader.interrupt();
  }
}
