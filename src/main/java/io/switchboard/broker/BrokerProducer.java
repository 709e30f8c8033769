package io.switchboard.broker;

import io.switchboard.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Chooses the {@link Broker} and {@link Presence} implementations from the configuration. */
@ApplicationScoped
public class BrokerProducer {

  @Inject Settings settings;

  @Produces
  @Singleton
  Broker broker() {
    return new InMemoryBroker(
        settings.historySize(),
        settings.notificationHistory(),
        settings.maxRooms(),
        Clock.systemUTC());
  }

  @Produces
  @Singleton
  Presence presence() {
    return new InMemoryPresence();
  }

  void close(@Disposes Broker broker) {
    broker.close();
  }
}
