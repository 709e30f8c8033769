package io.switchboard.platform;

import jakarta.ws.rs.core.Response;
import java.util.Map;

/** A request the API refuses, with the status and the {@code error} code of the JSON body. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
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

  /** Extra headers of the answer (Retry-After, WWW-Authenticate); none by default. */
  public Map<String, String> headers() {
    return Map.of();
  }

  Response toResponse() {
    Response.ResponseBuilder response = ApiErrors.response(status, code, getMessage());
    headers().forEach(response::header);
    return response.build();
  }
}
