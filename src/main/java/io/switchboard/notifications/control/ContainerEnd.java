package io.switchboard.notifications.control;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Tells a long-lived response when the container ends its request (client gone, error, timeout), so
 * that nothing is written to a response the container is about to reuse.
 */
final class ContainerEnd {

  private ContainerEnd() {}

  static void watch(AsyncContext async, Runnable ended) {
    async.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            ended.run();
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            ended.run();
          }

          @Override
          public void onError(AsyncEvent event) {
            ended.run();
          }

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
  }
}
