package io.switchboard.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the kernel says about this machine's TCP connections (/proc/net/tcp and tcp6). */
public final class Sockets {

  private Sockets() {}

  /**
   * Whether a TCP socket with local port {@code serverPort} and remote port {@code clientPort}
   * still exists (in any state but TIME_WAIT): the server's side of one client's connection.
   */
  public static boolean serverSideExists(int serverPort, int clientPort) {
    String local = ":" + hex(serverPort);
    String remote = ":" + hex(clientPort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3
            && fields[1].endsWith(local)
            && fields[2].endsWith(remote)
            && !fields[3].equals("06")) { // 06 is TIME_WAIT: the connection is gone
          return true;
        }
      }
    }
    return false;
  }

  private static String hex(int port) {
    return String.format(Locale.ROOT, "%04X", port);
  }
}
