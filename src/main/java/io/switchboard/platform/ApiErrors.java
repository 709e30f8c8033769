package io.switchboard.platform;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of the HTTP API: {@code {"error":"<code>","message":"..."}}. */
public final class ApiErrors {

  private ApiErrors() {}

  @JsonbPropertyOrder({"error", "message"})
  public record Body(String error, String message) {}

  public static Response.ResponseBuilder response(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Json.get().write(new Body(code, message)));
  }
}
