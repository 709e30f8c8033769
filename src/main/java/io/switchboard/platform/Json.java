package io.switchboard.platform;

import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON for the whole application: one {@link Jsonb} (thread-safe and costly to create) to write
 * frames, and one reader factory to parse untrusted input.
 */
public final class Json implements AutoCloseable {

  private static final Json INSTANCE = new Json();

  private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(false));
  private final JsonReaderFactory readers = JsonProvider.provider().createReaderFactory(Map.of());

  private Json() {}

  public static Json get() {
    return INSTANCE;
  }

  /** Serializes a frame record (null components are left out). */
  public String write(Object value) {
    return jsonb.toJson(value);
  }

  /**
   * Parses untrusted JSON text.
   *
   * @throws jakarta.json.JsonException (or a subclass) when it is not one valid JSON value
   */
  public JsonValue parse(String text) {
    try (JsonReader reader = readers.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  @Override
  public void close() throws Exception {
    jsonb.close();
  }
}
