package io.switchboard.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the API, on the JDK's client. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public HttpResponse<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("HTTP request failed: " + e, e);
    }
  }

  public URI base() {
    return base;
  }

  /** Publishes a chat message through the API and returns its offset. */
  public long publish(String room, String message) {
    HttpResponse<String> response =
        post("api/rooms/" + room + "/messages", "{\"message\":" + quote(message) + "}");
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "publish answered " + response.statusCode() + " " + response.body());
    }
    return json(response.body()).asJsonObject().getJsonNumber("offset").longValue();
  }

  public static JsonStructure json(String text) {
    return Json.createReader(new StringReader(text)).read();
  }

  public static JsonObject object(String text) {
    return json(text).asJsonObject();
  }

  public static String quote(String s) {
    return Json.createValue(s).toString();
  }
}
