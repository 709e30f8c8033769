package io.switchboard.notifications.control;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.logging.Logger;

/**
 * Tells a long-lived response when the container ends its request (client gone, error, timeout), so
 * that nothing is written to a response the container is about to reuse.
 */
final class ContainerEnd {

  private static final Logger LOG = Logger.getLogger(ContainerEnd.class.getName());

  private ContainerEnd() {}

  static void watch(HttpServletRequest request, Runnable ended) {
    if (request == null || !request.isAsyncStarted()) {
      LOG.fine("No async context to watch; relying on write failures");
      return;
    }
    request
        .getAsyncContext()
        .addListener(
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
