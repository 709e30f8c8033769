package io.switchboard.platform;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON for the whole application: one {@link Jsonb} (thread-safe and costly to create) to write
 * frames, and one parser factory to parse untrusted input strictly (one value, nothing after it).
 */
public final class Json implements AutoCloseable {

  private static final Json INSTANCE = new Json();

  private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(false));
  private final JsonProvider provider = JsonProvider.provider();
  private final JsonParserFactory parsers = provider.createParserFactory(Map.of());

  private Json() {}

  public static Json get() {
    return INSTANCE;
  }

  /** Serializes a frame record (null components are left out). */
  public String write(Object value) {
    return jsonb.toJson(value);
  }

  /** A string as a JSON string literal, quoted and escaped. */
  public String quote(String text) {
    return provider.createValue(text).toString();
  }

  /**
   * Parses untrusted JSON text.
   *
   * @throws jakarta.json.JsonException (or a subclass) when it is not one valid JSON value
   */
  public JsonValue parse(String text) {
    try (JsonParser parser = parsers.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        throw new JsonParsingException("Empty input", parser.getLocation());
      }
      parser.next();
      JsonValue value = parser.getValue();
      if (parser.hasNext()) {
        throw new JsonParsingException("Unexpected content after the value", parser.getLocation());
      }
      return value;
    }
  }

  @Override
  public void close() throws Exception {
    jsonb.close();
  }
}
