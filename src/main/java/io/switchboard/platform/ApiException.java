package io.switchboard.platform;

import jakarta.ws.rs.core.Response;

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

  /** Extra headers a subclass adds (Retry-After, WWW-Authenticate). */
  protected Response.ResponseBuilder decorate(Response.ResponseBuilder response) {
    return response;
  }

  Response toResponse() {
    return decorate(ApiErrors.response(status, code, getMessage())).build();
  }
}
