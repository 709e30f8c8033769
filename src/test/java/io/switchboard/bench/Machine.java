package io.switchboard.bench;

import io.switchboard.it.support.Jvms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine under the benchmark: its cores, how processes are pinned to them, and what a process
 * uses (resident memory, CPU time, live heap). Linux only, as the figures come from {@code /proc}.
 */
final class Machine {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private Machine() {}

  /** Whether the servers get a core of their own (core 0) and the load tool the others. */
  static boolean pinned() {
    return CORES >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
  }

  /** The prefix that starts a server process on the server's core. */
  static List<String> serverPrefix() {
    return pinned() ? List.of("taskset", "-c", "0") : List.of();
  }

  /** The prefix that starts a load process on the load tool's cores. */
  static List<String> loadPrefix() {
    return pinned() ? List.of("taskset", "-c", "1-" + (CORES - 1)) : List.of();
  }

  /** Moves a running process, all its threads, to the server's core. */
  static void pinToServerCore(long pid) {
    if (pinned()) {
      run(List.of("taskset", "-a", "-p", "-c", "0", Long.toString(pid)));
    }
  }

  /** Moves this process (the load tool) off the server's core. */
  static void pinSelf() {
    if (pinned()) {
      run(
          List.of(
              "taskset",
              "-a",
              "-p",
              "-c",
              "1-" + (CORES - 1),
              Long.toString(ProcessHandle.current().pid())));
    }
  }

  static String describe() {
    String model = "unknown CPU";
    try {
      model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(model);
    } catch (IOException e) {
      // keep "unknown"
    }
    long memory = 0;
    try {
      memory =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal:"))
              .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
              .findFirst()
              .orElse(0);
    } catch (IOException e) {
      // keep 0
    }
    return String.format(
        "%d cores (%s), %.1f GiB RAM, %s %s, Java %s%s",
        CORES,
        model,
        memory / 1024.0 / 1024.0,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        pinned() ? "; servers pinned to core 0, load tool to the others" : "; nothing pinned");
  }

  /** Resident memory of a process, in bytes. */
  static long residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** CPU time (user and system) a process has used, in nanoseconds. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Runs a diagnostic command in a JVM (jcmd) and returns what it printed. */
  static String jcmd(long pid, String... command) {
    return Jvms.jcmd(pid, command);
  }

  /** Runs a full GC in a JVM and returns its used heap afterwards, in bytes (-1 if unknown). */
  static long liveHeapBytes(long pid) {
    return Jvms.liveHeapBytes(pid);
  }

  static String run(List<String> command) {
    return Jvms.run(command);
  }
}
