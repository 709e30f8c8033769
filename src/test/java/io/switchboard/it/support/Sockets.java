package io.switchboard.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** What the kernel says about this machine's TCP connections (/proc/net/tcp and tcp6). */
public final class Sockets {

  private Sockets() {}

  /**
   * Whether a TCP socket with local port {@code serverPort} and remote port {@code clientPort}
   * still exists (in any state but TIME_WAIT): the server's side of one client's connection.
   */
  public static boolean serverSideExists(int serverPort, int clientPort) {
    return row(serverPort, clientPort, fields -> !fields[3].equals("06")) != null; // 06: TIME_WAIT
  }

  /**
   * The kernel's queues of one connection, both ends: bytes the server's side has not had
   * acknowledged yet ({@code serverSendQueue}), and bytes the client's side received that its
   * program has not read ({@code clientReceiveQueue}); -1 when that end is not found.
   */
  public record Queues(long serverSendQueue, long clientReceiveQueue) {}

  public static Queues queues(int serverPort, int clientPort) {
    return new Queues(queue(serverPort, clientPort, true), queue(clientPort, serverPort, false));
  }

  private static long queue(int localPort, int remotePort, boolean send) {
    String[] fields = row(localPort, remotePort, f -> true);
    return fields == null ? -1 : Long.parseLong(fields[4].split(":")[send ? 0 : 1], 16);
  }

  /** The first socket table row from {@code localPort} to {@code remotePort} that {@code keep}s. */
  private static String[] row(int localPort, int remotePort, Predicate<String[]> keep) {
    String local = ":" + hex(localPort);
    String remote = ":" + hex(remotePort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 4
            && fields[1].endsWith(local)
            && fields[2].endsWith(remote)
            && keep.test(fields)) {
          return fields;
        }
      }
    }
    return null;
  }

  private static String hex(int port) {
    return String.format(Locale.ROOT, "%04X", port);
  }
}
