package io.switchboard.platform;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads request bodies without trusting them: bounded size, strict UTF-8, JSON objects only. */
public final class RequestBodies {

  /** The largest body the API reads (a notification's data may be 64 KiB of JSON, escaped). */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  private RequestBodies() {}

  /**
   * The body as a JSON object; 415 unless it is sent as {@code application/json} (so that no other
   * site can post to the API with a form or another simple request).
   */
  public static JsonObject jsonObject(String contentType, InputStream body) {
    if (!isJson(contentType)) {
      throw new ApiException(
          415, "unsupported_media_type", "Send the body as Content-Type: application/json");
    }
    String text = text(body);
    JsonValue value;
    try {
      value = Json.get().parse(text);
    } catch (RuntimeException | StackOverflowError e) {
      throw ApiException.badRequest("The body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badRequest("The body must be a JSON object");
    }
    return object;
  }

  /** {@code application/json}, with parameters ({@code charset=utf-8}) or not. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.equalsIgnoreCase("application/json");
  }

  static String text(InputStream body) {
    if (body == null) {
      throw ApiException.badRequest("A JSON body is required");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = body.read(buffer)) != -1) {
        if (bytes.size() + n > MAX_BODY_BYTES) {
          throw ApiException.tooLarge("The body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        bytes.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw ApiException.badRequest("The body could not be read");
    }
    if (bytes.size() == 0) {
      throw ApiException.badRequest("A JSON body is required");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("The body is not valid UTF-8");
    }
  }
}
