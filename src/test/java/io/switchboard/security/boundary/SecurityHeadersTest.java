package io.switchboard.security.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

  @Test
  void pagesMayConnectOnlyToThisOriginAndTheAllowedOnes() {
    assertThat(SecurityHeaders.csp(List.of()))
        .contains("connect-src 'self';")
        .doesNotContain("ws:")
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(SecurityHeaders.csp(List.of("https://chat.example.com", "http://localhost:3000")))
        .contains(
            "connect-src 'self' https://chat.example.com wss://chat.example.com"
                + " http://localhost:3000 ws://localhost:3000;");
  }
}
