package io.switchboard.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client on a bare socket, for what a well-behaved client cannot do: stop reading,
 * never answer pings, send exact byte counts or arbitrary bytes, send custom handshake headers.
 */
public final class RawWs implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final String statusLine;
  private final java.util.Map<String, String> headers;
  private final SecureRandom random = new SecureRandom();

  /** A received frame. For a close frame, {@link #closeCode()} is set. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private RawWs(Socket socket, String statusLine, Map<String, String> headers, InputStream in)
      throws IOException {
    this.socket = socket;
    this.headers = headers;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(in);
    this.statusLine = statusLine;
  }

  /**
   * Opens a connection and performs the handshake.
   *
   * @param receiveBuffer the socket's receive buffer (small, to make a non-reading client stall the
   *     server quickly), or 0 for the default
   */
  public static RawWs connect(
      int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer)
      throws IOException {
    return connect(null, port, pathAndQuery, headers, receiveBuffer);
  }

  /**
   * As {@link #connect(int, String, Map, int)}, from the loopback address {@code from} (for example
   * 127.0.0.7, so that a test is a client address of its own), or the default when null.
   */
  public static RawWs connect(
      String from, int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15_000);
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    StringBuilder request =
        new StringBuilder()
            .append("GET ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(port)
            .append(
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
            .append("Sec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(key))
            .append("\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String status = readLine(in);
    Map<String, String> answered = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        answered.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return new RawWs(socket, status, answered, in);
  }

  public static RawWs connect(int port, String pathAndQuery) throws IOException {
    return connect(port, pathAndQuery, Map.of(), 0);
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

  /** A header of the handshake's answer, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The client side's port (the server knows this connection by it). */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** The handshake's HTTP status code (101 when upgraded). */
  public int status() {
    String[] parts = statusLine.split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  public void sendText(String text) throws IOException {
    sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendFrame(int opcode, byte[] payload) throws IOException {
    sendFrame(opcode, payload, true);
  }

  /** Sends one masked frame, as a client must. */
  public synchronized void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the next frame; throws {@link SocketTimeoutException} after {@code timeoutMillis}. */
  public Frame read(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** The next text frame as JSON, skipping pings and pongs; a close frame is an AssertionError. */
  public jakarta.json.JsonObject nextJson() throws IOException {
    while (true) {
      Frame frame = read(10_000);
      if (frame.opcode() == TEXT) {
        return Http.object(frame.text());
      }
      if (frame.opcode() == CLOSE) {
        throw new AssertionError("closed " + frame.closeCode());
      }
    }
  }

  /** Reads frames until a close frame (or the end of the stream); returns its code, or -1. */
  public int readUntilClose(int timeoutMillis) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    try {
      while (System.currentTimeMillis() < deadline) {
        Frame frame = read((int) Math.max(1, deadline - System.currentTimeMillis()));
        if (frame.opcode() == CLOSE) {
          return frame.closeCode();
        }
      }
    } catch (java.io.EOFException | java.net.SocketException e) {
      return -1;
    }
    throw new SocketTimeoutException("no close within " + timeoutMillis + " ms");
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
