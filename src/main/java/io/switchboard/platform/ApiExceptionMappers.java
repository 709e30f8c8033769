package io.switchboard.platform;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps every failure of the HTTP API to a status and the JSON error body. No stack trace ever
 * reaches a client; an unexpected failure is logged and answered 500 {@code internal}.
 */
public final class ApiExceptionMappers {

  private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class.getName());

  private ApiExceptionMappers() {}

  @Provider
  public static class Api implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return e.toResponse();
    }
  }

  @Provider
  public static class Unavailable implements ExceptionMapper<UnavailableException> {
    @Override
    public Response toResponse(UnavailableException e) {
      long seconds = Math.max(1, (e.retryAfterMs() + 999) / 1000);
      return ApiErrors.response(
              503, "unavailable", "The service cannot store or read messages right now")
          .header("Retry-After", seconds)
          .build();
    }
  }

  /** The container's own refusals (404, 405, 406, 415, ...) with the JSON body. */
  @Provider
  public static class Container implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response original = e.getResponse();
      int status = original == null ? 500 : original.getStatus();
      String code;
      String message;
      if (e instanceof NotFoundException) {
        code = "not_found";
        message = "No such resource";
      } else if (e instanceof NotAllowedException) {
        code = "method_not_allowed";
        message = "Method not allowed here";
      } else if (e instanceof NotSupportedException) {
        code = "unsupported_media_type";
        message = "Unsupported content type";
      } else if (e instanceof NotAcceptableException) {
        code = "not_acceptable";
        message = "Cannot produce an acceptable representation";
      } else if (status >= 500) {
        LOG.log(Level.WARNING, "Request failed", e);
        code = "internal";
        message = "Internal error";
      } else {
        code = status == 400 ? "bad_request" : "error";
        message = "The request cannot be served";
      }
      Response.ResponseBuilder response = ApiErrors.response(status, code, message);
      if (original != null) {
        original
            .getHeaders()
            .forEach(
                (name, values) -> {
                  if (name.equalsIgnoreCase("Allow") || name.equalsIgnoreCase("WWW-Authenticate")) {
                    values.forEach(v -> response.header(name, v));
                  }
                });
      }
      return response.build();
    }
  }

  @Provider
  public static class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      LOG.log(Level.WARNING, "Request failed unexpectedly", e);
      return ApiErrors.response(500, "internal", "Internal error").build();
    }
  }
}
