package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.bench.Swarm.Connection;
import io.switchboard.it.support.PayaraNode;
import java.util.ArrayList;
import java.util.List;

/** chatty: many small rooms, every member sending in turn to its own room. */
final class ChattyScenario extends Scenario {

  ChattyScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    int rooms = 200;
    int perRoom = 10;
    List<Double> perMember = List.of(0.5, 1d, 2d, 4d, 8d, 16d);
    List<Double> rates = perMember.stream().map(r -> r * rooms * perRoom).toList();
    PayaraNode node = servers.switchboard("bench-chatty", Servers.benchSettings(), false);
    Servers.SocketIo socketIo = servers.socketIo();
    List<Targets.Target> all = new ArrayList<>();
    all.add(Targets.switchboard("Switchboard", List.of(node.http()), node.pid()));
    if (socketIo != null) {
      all.add(Targets.socketIo(socketIo.base(), socketIo.process().pid()));
    }
    List<Step> steps = new ArrayList<>();
    List<Step> best = new ArrayList<>();
    for (Targets.Target target : all) {
      progress("%s: %d rooms × %d members, every member sending", target.name(), rooms, perRoom);
      Latencies frames = new Latencies();
      String prefix = "chatty-" + System.nanoTime() + "-";
      List<Connection> sockets =
          Drive.members(target, rooms * perRoom, i -> prefix + (i / perRoom), frames);
      try {
        List<Step> ramp =
            Drive.ramp(
                target.name(),
                new long[] {target.pid()},
                frames,
                rates,
                options.seconds(),
                perRoom,
                options.p99Limit(),
                n -> {
                  // Rooms take turns (one member of each, then the next of each): consecutive
                  // messages of one room would arrive in bursts and be written in batches, which
                  // is not what members who each send on their own timer do.
                  int turn = (int) (n % sockets.size());
                  int member = (turn % rooms) * perRoom + turn / rooms;
                  sockets
                      .get(member)
                      .send(target.frame(prefix + (member / perRoom), Payloads.stamped()));
                });
        steps.addAll(ramp);
        best.add(Drive.best(ramp, options.p99Limit()));
      } finally {
        Drive.abort(sockets);
      }
    }
    servers.stop(node);
    if (socketIo != null) {
      servers.stop(socketIo);
    }
    report.heading("chatty: " + rooms + " rooms of " + perRoom + " members, everyone sending");
    report.text(
        "Every member sends in turn to its own room, the rooms taking turns, (each message reaches its "
            + perRoom
            + " members, the sender included); the rate is the total over all members: "
            + perMember.stream().map(Report::number).toList()
            + " messages per second per member.");
    report.steps(steps, options.p99Limit(), "msg/s offered (total)");
    report.data("chatty", steps);
    if (best.size() > 1) {
      report.text(
          "Switchboard's best deliveries per second ÷ Socket.IO's: "
              + ratio(best.get(0), best.get(1)));
    }
  }
}
