package io.switchboard.security.boundary;

import io.switchboard.platform.ApiErrors;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.QueryString;
import io.switchboard.security.Caller;
import io.switchboard.security.Right;
import io.switchboard.security.control.Access;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * Authorization by the resource method a request matched: each method's {@link Requires} is checked
 * by a filter bound to that method alone, so {@code /x}, {@code /x/} and {@code /x;p=1} meet the
 * same rule because they reach the same method. A method of Switchboard's without {@link Requires}
 * is refused with 403 (deny by default) and logged at start.
 *
 * <p>The caller goes to the resource as the request property {@link #CALLER}.
 */
@Provider
public class ApiAccess implements DynamicFeature {

  /** The request property holding the {@link Caller}. */
  public static final String CALLER = "switchboard.caller";

  private static final Logger LOG = Logger.getLogger(ApiAccess.class.getName());

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    Method method = resource.getResourceMethod();
    if (method == null || !method.getDeclaringClass().getName().startsWith("io.switchboard.")) {
      return; // the container's own methods (OPTIONS, WADL) are not ours to rule
    }
    Requires requires = method.getAnnotation(Requires.class);
    if (requires == null) {
      LOG.severe(
          () ->
              method.getDeclaringClass().getSimpleName()
                  + "."
                  + method.getName()
                  + " declares no @Requires: every call to it is refused");
      context.register(new Deny(), Priorities.AUTHENTICATION);
    } else {
      context.register(new Check(requires.value()), Priorities.AUTHENTICATION);
    }
  }

  /**
   * The caller a resource method's rule established. Read from the servlet request: a request
   * property is its attribute (JAX-RS says so for servlet containers), and every implementation
   * injects the servlet request into resource methods (RESTEasy cannot inject the request context).
   */
  public static Caller caller(HttpServletRequest request) {
    return (Caller) request.getAttribute(CALLER);
  }

  /** Checks one method's right. */
  static final class Check implements ContainerRequestFilter {
    private final Right right;
    private volatile Access access;

    Check(Right right) {
      this.right = right;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      try {
        Caller caller =
            access()
                .check(
                    right,
                    request::getHeaderString,
                    name -> {
                      jakarta.ws.rs.core.Cookie cookie = request.getCookies().get(name);
                      return cookie == null ? null : cookie.getValue();
                    },
                    QueryString.parse(request.getUriInfo().getRequestUri().getRawQuery()));
        request.setProperty(CALLER, caller);
      } catch (ApiException denied) {
        Response.ResponseBuilder response =
            ApiErrors.response(denied.status(), denied.code(), denied.getMessage());
        denied.headers().forEach(response::header);
        request.abortWith(response.build());
      }
    }

    private Access access() {
      Access current = access;
      if (current == null) {
        current = CDI.current().select(Access.class).get();
        access = current;
      }
      return current;
    }
  }

  /** A method that declared no rule. */
  static final class Deny implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      request.abortWith(
          ApiErrors.response(403, "forbidden", "This endpoint declares no access rule").build());
    }
  }
}
