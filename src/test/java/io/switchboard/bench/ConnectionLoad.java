package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle WebSocket connections held by {@link Connector} processes, at most {@link #PER_PROCESS} each
 * (a process may open only so many files), started on the load tool's cores.
 */
final class ConnectionLoad implements AutoCloseable {

  static final int PER_PROCESS = 6000;

  /** Connections per room. */
  private static final int PER_ROOM = 10;

  /** Connections held, refused and closed by the server, over every process. */
  record Status(int open, int failed, int closed) {}

  private record Holder(Process process, OutputStream in, BufferedReader out) {}

  private final URI prefix;
  private final List<Holder> holders = new ArrayList<>();
  private final List<Status> last = new ArrayList<>();
  private int requested;

  ConnectionLoad(URI prefix) {
    this.prefix = prefix;
  }

  /** Opens connections until {@code total} have been asked for, and reports what is held. */
  Status openUpTo(int total) throws IOException {
    while (requested < total) {
      int index = requested / PER_PROCESS;
      if (index == holders.size()) {
        holders.add(start(index * PER_PROCESS));
        last.add(new Status(0, 0, 0));
      }
      int count = Math.min(total, (index + 1) * PER_PROCESS) - requested;
      Holder holder = holders.get(index);
      Servers.write(holder.in(), "open " + count);
      last.set(index, read(holder));
      requested += count;
    }
    for (int i = 0; i < holders.size(); i++) {
      Servers.write(holders.get(i).in(), "status");
      last.set(i, read(holders.get(i)));
    }
    int open = 0;
    int failed = 0;
    int closed = 0;
    for (Status status : last) {
      open += status.open();
      failed += status.failed();
      closed += status.closed();
    }
    return new Status(open, failed, closed);
  }

  private Holder start(int first) throws IOException {
    List<String> command = new ArrayList<>(Machine.loadPrefix());
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            Connector.class.getName(),
            prefix.toString(),
            Integer.toString(first),
            Integer.toString(PER_ROOM)));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return new Holder(
        process,
        process.getOutputStream(),
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
  }

  private static Status read(Holder holder) throws IOException {
    String line = holder.out().readLine();
    if (line == null || !line.startsWith("opened ")) {
      throw new IOException("a connection process ended: " + line);
    }
    String[] parts = line.split(" ");
    return new Status(
        Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
  }

  @Override
  public void close() {
    for (Holder holder : holders) {
      try {
        holder.in().close(); // end of input: the process aborts its connections and exits
      } catch (IOException e) {
        // already gone
      }
    }
    for (Holder holder : holders) {
      try {
        if (!holder.process().waitFor(30, TimeUnit.SECONDS)) {
          holder.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        holder.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    holders.clear();
  }
}
