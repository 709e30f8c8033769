package io.switchboard.platform;

import jakarta.ws.rs.core.Response;
import java.util.Map;

/** A request the API refuses, with the status and the {@code error} code of the JSON body. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, String> headers;

  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public ApiException(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  /** 429: a per-client cap or rate; {@code Retry-After} says when to try again. */
  public static ApiException tooMany(String code, String message, long retryAfterSeconds) {
    return new ApiException(
        429, code, message, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, "payload_too_large", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Extra headers of the answer (Retry-After, WWW-Authenticate). */
  public Map<String, String> headers() {
    return headers;
  }

  Response toResponse() {
    Response.ResponseBuilder response = ApiErrors.response(status, code, getMessage());
    headers().forEach(response::header);
    return response.build();
  }
}
