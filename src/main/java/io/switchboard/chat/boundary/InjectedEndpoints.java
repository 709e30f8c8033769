package io.switchboard.chat.boundary;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.InjectionTarget;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Makes each connection's endpoint instance through CDI, with the injection target built once per
 * endpoint class instead of once per connection.
 *
 * <p>Why: without a configurator, Tyrus asks the container's CDI integration for every new
 * endpoint, and on Payara that builds a new injection target each time (annotated-type validation,
 * injection points, an interception model, a container lifecycle event): a few percent of a
 * handshake's CPU, at every connect and every reconnect. The endpoints inject only
 * application-scoped services (client proxies), so nothing dependent is created with them and
 * nothing needs releasing when the socket closes.
 */
public final class InjectedEndpoints extends ServerEndpointConfig.Configurator {

  private static final ClassValue<Target<?>> TARGETS =
      new ClassValue<>() {
        @Override
        protected Target<?> computeValue(Class<?> type) {
          return Target.of(type);
        }
      };

  @Override
  public <T> T getEndpointInstance(Class<T> type) throws InstantiationException {
    try {
      return type.cast(TARGETS.get(type).create());
    } catch (RuntimeException e) {
      InstantiationException failed = new InstantiationException(type.getName() + ": " + e);
      failed.initCause(e);
      throw failed;
    }
  }

  /** One endpoint class's injection target, and the bean manager that made it. */
  private record Target<T>(BeanManager beans, InjectionTarget<T> target) {

    static <T> Target<T> of(Class<T> type) {
      BeanManager beans = CDI.current().getBeanManager();
      InjectionTarget<T> target =
          beans
              .getInjectionTargetFactory(beans.createAnnotatedType(type))
              .createInjectionTarget(null);
      return new Target<>(beans, target);
    }

    T create() {
      CreationalContext<T> context = beans.createCreationalContext(null);
      T instance = target.produce(context);
      target.inject(instance, context);
      target.postConstruct(instance);
      return instance;
    }
  }
}
