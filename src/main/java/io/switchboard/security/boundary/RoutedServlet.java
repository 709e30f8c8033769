package io.switchboard.security.boundary;

import io.switchboard.platform.ApiErrors;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.QueryString;
import io.switchboard.security.Caller;
import io.switchboard.security.Right;
import io.switchboard.security.control.Access;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An {@code /api} endpoint served by a servlet rather than JAX-RS (event streams, which write with
 * the container's non-blocking output). Like {@link ApiAccess} for resource methods: each route
 * declares the {@link Right} it needs, and what is not a route is 404; only GET is served (405
 * otherwise). A route is the path under the servlet's mapping, without a trailing slash; matrix
 * parameters never reach here (the container strips them when it maps the request).
 */
public abstract class RoutedServlet extends HttpServlet {

  @Inject Access access;

  /** What serves a route, for a caller that has its right. */
  @FunctionalInterface
  public interface Handler {
    void serve(
        Caller caller,
        Map<String, List<String>> query,
        HttpServletRequest request,
        HttpServletResponse response)
        throws IOException;
  }

  /** A route: the right it needs and what serves it. */
  public record Route(Right right, Handler handler) {}

  /** This servlet's routes, by path under its mapping ({@code ""} for the mapping itself). */
  protected abstract Map<String, Route> routes();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      Route route = routes().get(route(request.getPathInfo()));
      if (route == null) {
        throw new ApiException(404, "not_found", "No such resource");
      }
      if (!"GET".equals(request.getMethod())) {
        response.setHeader("Allow", "GET");
        throw new ApiException(405, "method_not_allowed", "Method not allowed here");
      }
      Map<String, List<String>> query = QueryString.parse(request.getQueryString());
      Caller caller =
          access.check(route.right(), request::getHeader, name -> cookie(request, name), query);
      route.handler().serve(caller, query, request, response);
    } catch (ApiException e) {
      if (!response.isCommitted()) {
        ApiErrors.write(response, e);
      }
    }
  }

  /** A cookie's value, or null. */
  public static String cookie(HttpServletRequest request, String name) {
    jakarta.servlet.http.Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (jakarta.servlet.http.Cookie cookie : cookies) {
        if (name.equals(cookie.getName())) {
          return cookie.getValue();
        }
      }
    }
    return null;
  }

  /** The route of a path under the mapping: none and "/" are "", a trailing slash is dropped. */
  static String route(String pathInfo) {
    if (pathInfo == null || pathInfo.equals("/")) {
      return "";
    }
    return pathInfo.endsWith("/") ? pathInfo.substring(0, pathInfo.length() - 1) : pathInfo;
  }
}
