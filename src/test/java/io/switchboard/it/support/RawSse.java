package io.switchboard.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** An event-stream client that sends its request and never reads a byte of the answer. */
public final class RawSse implements AutoCloseable {

  private final Socket socket;

  private RawSse(Socket socket) {
    this.socket = socket;
  }

  /** Opens {@code GET pathAndQuery} with a small receive buffer, so that it stalls the server. */
  public static RawSse open(int port, String pathAndQuery) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + pathAndQuery
                    + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port
                    + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return new RawSse(socket);
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
