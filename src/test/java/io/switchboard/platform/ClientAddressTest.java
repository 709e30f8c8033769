package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertThat(ClientAddress.of("203.0.113.9", "198.51.100.1", List.of())).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.of("203.0.113.9", null, List.of("10.0.0.1"))).isEqualTo("203.0.113.9");
  }

  @Test
  void behindTrustedProxiesTheClientIsTheLastHopTheyDidNotAdd() {
    List<String> proxies = List.of("10.0.0.1", "10.0.0.2");
    assertThat(ClientAddress.of("10.0.0.1", "198.51.100.7", proxies)).isEqualTo("198.51.100.7");
    assertThat(ClientAddress.of("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies))
        .as("what the client wrote itself comes first and is not believed")
        .isEqualTo("198.51.100.7");
    assertThat(ClientAddress.of("10.0.0.1", "", proxies)).isEqualTo("10.0.0.1");
  }
}
