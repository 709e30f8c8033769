package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static Settings of(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void defaultsAreTheContracts() {
    Settings settings = of(Map.of());
    assertThat(settings.historySize()).isEqualTo(1000);
    assertThat(settings.notificationHistory()).isEqualTo(10_000);
    assertThat(settings.ratePerSecond()).isEqualTo(10);
    assertThat(settings.rateBurst()).isEqualTo(20);
    assertThat(settings.maxFrameBytes()).isEqualTo(16384);
    assertThat(settings.heartbeatSeconds()).isEqualTo(25);
    assertThat(settings.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(settings.sseHeartbeatSeconds()).isEqualTo(15);
    assertThat(settings.clientMaxQueued()).isEqualTo(1000);
    assertThat(settings.redisUrl()).isEmpty();
    assertThat(settings.nodeId()).matches(".+-[0-9a-f]{4}");
  }

  @Test
  void aBadValueStopsStartWithAMessageNamingTheKey() {
    assertThatThrownBy(() -> of(Map.of("switchboard.history.size", "lots")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("switchboard.history.size");
    assertThatThrownBy(() -> of(Map.of("switchboard.ratelimit.burst", "0")))
        .hasMessageContaining("switchboard.ratelimit.burst")
        .hasMessageContaining("between");
  }

  @Test
  void blankMeansUnset() {
    assertThat(of(Map.of("switchboard.redis.url", "  ")).redisUrl()).isEmpty();
    assertThat(of(Map.of("switchboard.node.id", "n1")).nodeId()).isEqualTo("n1");
  }
}
