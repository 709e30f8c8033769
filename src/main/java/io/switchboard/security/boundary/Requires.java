package io.switchboard.security.boundary;

import io.switchboard.security.Right;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The right an HTTP API method needs. {@link ApiAccess} checks it for the method the request
 * matched, whatever the spelling of its path; a method without it is refused.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
  Right value();
}
