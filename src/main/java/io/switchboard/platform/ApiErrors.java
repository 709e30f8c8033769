package io.switchboard.platform;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one error body of the HTTP API: {@code {"error":"<code>","message":"..."}}. */
public final class ApiErrors {

  private ApiErrors() {}

  @JsonbPropertyOrder({"error", "message"})
  public record Body(String error, String message) {}

  /** Answers a servlet request with the error (for the API's servlets: event streams). */
  public static void write(HttpServletResponse response, ApiException error) throws IOException {
    response.setStatus(error.status());
    response.setContentType(MediaType.APPLICATION_JSON);
    error.headers().forEach(response::setHeader);
    byte[] body =
        Json.get()
            .write(new Body(error.code(), error.getMessage()))
            .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  public static Response.ResponseBuilder response(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Json.get().write(new Body(code, message)));
  }
}
