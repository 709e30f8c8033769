package io.switchboard.security.control;

import io.switchboard.platform.ApiException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;

/**
 * An API call refused by its access rule: 401 with {@code WWW-Authenticate: Bearer} for missing or
 * invalid credentials, 403 for valid credentials without the right. Never carries the credential.
 */
public final class AccessDenied extends ApiException {

  private final boolean invalidToken;

  private AccessDenied(int status, String code, String message, boolean invalidToken) {
    super(status, code, message);
    this.invalidToken = invalidToken;
  }

  static AccessDenied unauthorized(String message, boolean invalidToken) {
    return new AccessDenied(401, "unauthorized", message, invalidToken);
  }

  static AccessDenied forbidden(String message) {
    return new AccessDenied(403, "forbidden", message, false);
  }

  /** {@code WWW-Authenticate} for a 401; nothing for a 403. */
  @Override
  public Map<String, String> headers() {
    if (status() != 401) {
      return Map.of();
    }
    return Map.of(
        HttpHeaders.WWW_AUTHENTICATE, invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer");
  }
}
