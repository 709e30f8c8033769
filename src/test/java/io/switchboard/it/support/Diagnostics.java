package io.switchboard.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When a test times out waiting for the server, saves thread dumps of the Payara Micro processes
 * under {@code target/diagnostics/}, so that a rare hang leaves evidence behind.
 */
public final class Diagnostics {

  private Diagnostics() {}

  public static void dumpServers(String reason) {
    try {
      Path dir = Path.of(System.getProperty("switchboard.build", "target"), "diagnostics");
      Files.createDirectories(dir);
      String stamp = Instant.now().toString().replace(':', '-');
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains("payara-micro"))
          .forEach(
              p -> {
                try {
                  Path out = dir.resolve(stamp + "-" + p.pid() + ".txt");
                  StringBuilder text = new StringBuilder(reason).append('\n');
                  for (StackTraceElement e : new Throwable().getStackTrace()) {
                    text.append("  at ").append(e).append('\n');
                  }
                  Files.writeString(out, text);
                  new ProcessBuilder("jcmd", Long.toString(p.pid()), "Thread.print")
                      .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                      .redirectErrorStream(true)
                      .start()
                      .waitFor();
                } catch (Exception e) {
                  // best effort
                }
              });
    } catch (Exception e) {
      // best effort
    }
  }
}
