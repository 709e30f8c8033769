package io.switchboard.it.support;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the tests that run against the suite's Payara Micro, as real clients. */
@ExtendWith(ArquillianExtension.class)
public abstract class ServerIT {

  @ArquillianResource protected URL deployment;

  /** The server's HTTP base, always on loopback. */
  protected URI http() {
    return URI.create("http://127.0.0.1:" + deployment.getPort() + "/");
  }

  protected URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + deployment.getPort() + pathAndQuery);
  }

  protected Http api() {
    return new Http(http());
  }

  protected int port() {
    return deployment.getPort();
  }
}
