package io.switchboard.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Makes {@link Settings} injectable, read from MicroProfile Config once per deployment. */
@ApplicationScoped
public class SettingsProducer {

  @Produces
  @Singleton
  Settings settings() {
    Config config = ConfigProvider.getConfig(Settings.class.getClassLoader());
    return new Settings(key -> config.getOptionalValue(key, String.class));
  }
}
