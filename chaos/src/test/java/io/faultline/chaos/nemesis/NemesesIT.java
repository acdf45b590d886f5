package io.faultline.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.Node;
import io.faultline.chaos.cluster.ServerKind;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every stock nemesis against a real 3-node ZooKeeper ensemble: its fault is in place, its heal restores health. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NemesesIT {
    static final Duration HEALTHY = Duration.ofSeconds(60);
    ToxiproxyServer toxiproxy;
    Cluster cluster;
    FaultLog log;

    @BeforeAll
    void start() throws Exception {
        toxiproxy = ToxiproxyServer.start("127.0.6.250", 0);
        cluster = Cluster.create(ClusterSpec.of(ServerKind.ZOOKEEPER, 3, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(41))
                        .withName("nemeses").withTiming(200, 10, 5).withDataRoot(Path.of("target", "clusters")),
                new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()));
        cluster.start();
        cluster.awaitHealthy(HEALTHY);
        log = FaultLog.startingNow();
    }

    @AfterAll
    void close() {
        if (cluster != null) cluster.close();
        if (toxiproxy != null) toxiproxy.close();
    }

    @BeforeEach
    void healthy() throws Exception {
        cluster.awaitHealthy(HEALTHY);
    }

    /** Injects through a schedule (so the event is logged), checks, heals, and checks health is back. */
    FaultEvent run(Nemesis nemesis, Function<Fault, Boolean> inPlace) throws Exception {
        NemesisSchedule s = new NemesisSchedule(nemesis, log, NemesisSchedule.fixed(Duration.ZERO), NemesisSchedule.fixed(Duration.ZERO), 3);
        long id = s.inject();
        assertTrue(id >= 0, "inject failed: " + s.failures());
        FaultEvent e = log.events().get((int) id);
        Fault f = new Fault(e.kind(), e.targets(), e.detail());
        assertTrue(inPlace.apply(f), "fault not in place: " + e + " network " + cluster.network().active());
        s.heal();
        assertTrue(cluster.network().active().isEmpty(), "heal left toxics: " + cluster.network().active());
        for (Node n : cluster.nodes()) assertTrue(n.running() && !n.paused(), n + " not back");
        cluster.awaitHealthy(HEALTHY);
        FaultEvent done = log.events().get((int) id);
        assertFalse(done.active());
        assertTrue(done.stopNanos() > done.startNanos());
        return done;
    }

    long toxics() {
        return cluster.network().active().size();
    }

    @Test
    void partitions() throws Exception {
        // 3 nodes: halves {1}|{2} cut both ways = 2 pairs x 2 directions x 4 proxy streams
        run(Nemeses.partitionRandomHalves(cluster), f -> toxics() == 16 && f.targets().size() == 2);
        run(Nemeses.isolateOne(cluster), f -> toxics() == 16);
        FaultEvent e = run(Nemeses.isolateLeader(cluster), f -> toxics() == 16);
        assertEquals("isolate-leader", e.kind());
        // ring of 3, majority 2: each node hears one peer, so 3 one-way blocks x 4 streams
        run(Nemeses.partitionMajoritiesRing(cluster), f -> toxics() == 12);
        // bridge of 3: {a}|{b} cut both ways, the bridge talks to both
        run(Nemeses.bridge(cluster), f -> toxics() == 8 && f.targets().size() == 3);
        run(Nemeses.oneWayMute(cluster), f -> toxics() == 8);
        run(Nemeses.oneWayDeaf(cluster), f -> toxics() == 8);
    }

    @Test
    void linkQuality() throws Exception {
        run(Nemeses.latency(cluster, 50, 10), f -> toxics() == 24);
        run(Nemeses.bandwidth(cluster, 64), f -> toxics() == 24);
        run(Nemeses.resets(cluster), f -> toxics() == 16);
    }

    @Test
    void processes() throws Exception {
        run(Nemeses.kill(cluster, Nemeses.Target.LEADER), f -> !cluster.node(id(f)).running());
        run(Nemeses.kill(cluster, Nemeses.Target.ONE), f -> !cluster.node(id(f)).running());
        run(Nemeses.kill(cluster, Nemeses.Target.MINORITY), f -> f.targets().size() == 1 && !cluster.node(id(f)).running());
        run(Nemeses.kill(cluster, Nemeses.Target.ALL), f -> cluster.nodes().stream().noneMatch(Node::running));
        run(Nemeses.pause(cluster, Nemeses.Target.LEADER), f -> cluster.node(id(f)).paused());
        run(Nemeses.pause(cluster, Nemeses.Target.ONE), f -> cluster.node(id(f)).paused());
    }

    @Test
    void composition() throws Exception {
        Nemesis any = Nemeses.oneOf(List.of(Nemeses.isolateOne(cluster), Nemeses.latency(cluster, 20, 5)));
        run(any, f -> toxics() == 16 || toxics() == 24);
        Nemesis both = Nemeses.allOf(List.of(Nemeses.latency(cluster, 20, 5), Nemeses.pause(cluster, Nemeses.Target.ONE)));
        run(both, f -> toxics() == 24 && cluster.nodes().stream().anyMatch(Node::paused) && f.kind().equals("latency+pause-one"));
        // a seeded schedule in the background: faults come and go, all recorded and healed
        int before = log.events().size();
        try (NemesisSchedule s = new NemesisSchedule(Nemeses.oneOf(List.of(Nemeses.isolateOne(cluster), Nemeses.kill(cluster, Nemeses.Target.ONE))),
                log, NemesisSchedule.between(Duration.ofMillis(200), Duration.ofMillis(400)), NemesisSchedule.fixed(Duration.ofMillis(800)), new Random(5).nextLong())) {
            s.start();
            Thread.sleep(3000);
        }
        assertTrue(log.events().size() - before >= 2, "the schedule ran: " + log.events());
        assertTrue(log.active().isEmpty());
        assertTrue(cluster.network().active().isEmpty());
        for (Node n : cluster.nodes()) assertTrue(n.running());
        cluster.awaitHealthy(HEALTHY);
    }

    static int id(Fault f) {
        return Integer.parseInt(f.targets().getFirst().substring(1));
    }
}
