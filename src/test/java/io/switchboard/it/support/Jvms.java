package io.switchboard.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Looks into a running JVM (a server under test) with the JDK's own tools. */
public final class Jvms {

  private Jvms() {}

  /** Runs a diagnostic command in a JVM (jcmd) and returns what it printed. */
  public static String jcmd(long pid, String... command) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(Long.toString(pid));
    line.addAll(List.of(command));
    return run(line);
  }

  /** Runs a full GC in a JVM and returns its used heap afterwards, in bytes (-1 if unknown). */
  public static long liveHeapBytes(long pid) {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    jcmd(pid, "GC.run");
    // jstat -gc: a header line and a value line; S0U, S1U, EU and OU (KB) make the used heap
    String[] lines =
        run(List.of(bin.resolve("jstat").toString(), "-gc", Long.toString(pid))).trim().split("\n");
    if (lines.length < 2) {
      return -1;
    }
    String[] names = lines[lines.length - 2].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    double used = 0;
    for (int i = 0; i < Math.min(names.length, values.length); i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
        used += Double.parseDouble(values[i]);
      }
    }
    return (long) (used * 1024);
  }

  /** Runs a command and returns what it printed (empty when it could not run). */
  public static String run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      process.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
