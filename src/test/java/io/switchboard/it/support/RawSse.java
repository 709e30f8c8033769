package io.switchboard.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * An event-stream client on a bare socket: one that sends its request and never reads a byte of the
 * answer, or one that reads only the status and headers, from a loopback address of its own.
 */
public final class RawSse implements AutoCloseable {

  private final Socket socket;
  private int status = -1;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  private RawSse(Socket socket) {
    this.socket = socket;
  }

  /** Opens {@code GET pathAndQuery} with a small receive buffer, so that it stalls the server. */
  public static RawSse open(int port, String pathAndQuery) throws IOException {
    return send(null, port, pathAndQuery, Map.of());
  }

  /** Opens {@code GET pathAndQuery} from {@code from} and reads the status line and headers. */
  public static RawSse request(
      String from, int port, String pathAndQuery, Map<String, String> headers) throws IOException {
    RawSse sse = send(from, port, pathAndQuery, headers);
    sse.readHead();
    return sse;
  }

  private static RawSse send(
      String from, int port, String pathAndQuery, Map<String, String> headers) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15_000);
    StringBuilder request =
        new StringBuilder("GET ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(port)
            .append("\r\nAccept: text/event-stream\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
    return new RawSse(socket);
  }

  private void readHead() throws IOException {
    InputStream in = socket.getInputStream();
    String line = readLine(in);
    String[] parts = line.split(" ");
    status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    while (!(line = readLine(in)).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** The answer's status, once {@link #request} read it. */
  public int status() {
    return status;
  }

  public String header(String name) {
    return headers.get(name);
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
