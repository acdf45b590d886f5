package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault scenarios every 3-voter ensemble must survive, on any backend and either server:
 * isolate the leader (new leader on the majority side, old one takes no writes, rejoins after
 * heal), kill and pause the leader, and a one-way cut. Subclasses say which cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class EnsembleScenarios {
    protected static final Duration HEALTHY = Duration.ofSeconds(60);
    protected ToxiproxyServer toxiproxy;
    protected Cluster cluster;

    /** The 3-voter cluster to test (addresses in the test's own range). */
    protected abstract ClusterSpec spec();

    /** Where the embedded Toxiproxy API listens. */
    protected String toxiproxyHost() {
        return "127.0.6.250";
    }

    @BeforeAll
    public void startCluster() throws Exception {
        toxiproxy = ToxiproxyServer.start(toxiproxyHost(), 0);
        cluster = Cluster.create(spec(), new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()));
        cluster.start();
        cluster.awaitHealthy(HEALTHY);
    }

    @AfterAll
    public void closeCluster() {
        if (cluster != null) cluster.close();
        if (toxiproxy != null) toxiproxy.close();
    }

    @BeforeEach
    public void healthyAndHealed() throws Exception {
        cluster.network().healAll();
        for (Node n : cluster.nodes()) {
            n.resume();
            n.start();
        }
        cluster.awaitHealthy(HEALTHY);
    }

    String only(Node n) {
        return cluster.clientConnectString(List.of(n.id()));
    }

    String others(Node n) {
        return cluster.clientConnectString(cluster.nodes().stream().map(Node::id).filter(id -> id != n.id()).toList());
    }

    Node awaitNewLeaderOtherThan(Node old, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Node> leaders = cluster.leaders().stream().filter(n -> n.id() != old.id()).toList();
            if (leaders.size() == 1) return leaders.getFirst();
            Thread.sleep(100);
        }
        throw new TimeoutException("no new leader besides n" + old.id() + ": " + AbstractCluster.describe(cluster.statuses()));
    }

    static void awaitRole(Node n, Predicate<Role> ok, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Role last = null;
        while (System.nanoTime() < deadline) {
            last = n.status().role();
            if (ok.test(last)) return;
            Thread.sleep(100);
        }
        throw new TimeoutException("n" + n.id() + " still " + last);
    }

    @Test
    @Order(0)
    public void everyPeerConnectionGoesThroughAProxy() throws Exception {
        assertTrue(assertNoDirectPeerConnections() >= 5, "3 voters: at least 2 learner and 3 election connections");
    }

    /**
     * Every established TCP connection to a node's quorum or election port must be owned, on the
     * dialling side, by this JVM (the embedded Toxiproxy), never by another node's process.
     * Returns how many such connections there are.
     */
    int assertNoDirectPeerConnections() throws Exception {
        // Every established TCP connection to a node's quorum or election port must be owned, on the
        // dialling side, by this JVM (the embedded Toxiproxy), never by another node's process.
        AddressPlan a = spec().addresses();
        List<String> peerEndpoints = new java.util.ArrayList<>();
        for (Node n : cluster.nodes()) {
            peerEndpoints.add(a.nodeHost(n.id()) + ":" + a.quorumPort());
            peerEndpoints.add(a.nodeHost(n.id()) + ":" + a.electionPort());
        }
        Process ss = new ProcessBuilder("ss", "-Htnp", "state", "established").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        long me = ProcessHandle.current().pid();
        int seen = 0;
        for (String line : out.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) continue;
            String peer = f[3].replace("[::ffff:", "").replace("]", "");
            if (!peerEndpoints.contains(peer)) continue;
            seen++;
            var m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(line);
            assertTrue(m.find(), "no owner in: " + line);
            assertEquals(me, Long.parseLong(m.group(1)), "a node dialled a peer directly, bypassing its proxy: " + line);
        }
        return seen;
    }

    @Test
    @Order(1)
    public void isolatingTheLeaderElectsANewOneOnTheMajoritySideAndTheOldOneRejoins() throws Exception {
        Node old = cluster.awaitLeader(HEALTHY);
        try (ZooKeeper viaOld = ZkClients.connect(only(old), 4000, 10_000)) {
            assertEquals(KeeperException.Code.OK, ZkClients.tryCreate(viaOld, "/before-isolation", new byte[0], 10_000));

            cluster.network().isolate("isolate-leader", old.id());
            Node fresh = awaitNewLeaderOtherThan(old, Duration.ofSeconds(30));
            assertNotEquals(old.id(), fresh.id());

            KeeperException.Code rc = ZkClients.tryCreate(viaOld, "/written-to-isolated-leader", new byte[0], 5_000);
            assertNotEquals(KeeperException.Code.OK, rc, "the isolated old leader must not take writes");
            awaitRole(old, r -> r != Role.LEADER, Duration.ofSeconds(20));
            ZkClients.createEventually(others(old), "/written-to-majority", 20_000);

            cluster.network().heal("isolate-leader");
        }
        cluster.awaitHealthy(HEALTHY);
        awaitRole(old, r -> r == Role.FOLLOWER, Duration.ofSeconds(30));
        ZkClients.awaitVisible(only(old), "/written-to-majority", 30_000);
        assertNoDirectPeerConnections();
        try (ZooKeeper zk = ZkClients.connectEventually(cluster.clientConnectString(), 20_000)) {
            assertNull(zk.exists("/written-to-isolated-leader", false), "a write the old leader never committed must not appear");
            assertTrue(zk.exists("/before-isolation", false) != null);
        }
    }

    @Test
    @Order(2)
    public void killingTheLeaderElectsANewOneAndTheRestartedNodeCatchesUp() throws Exception {
        Node old = cluster.awaitLeader(HEALTHY);
        old.kill();
        assertFalse(old.running());
        awaitNewLeaderOtherThan(old, Duration.ofSeconds(30));
        ZkClients.createEventually(others(old), "/written-while-killed", 20_000);
        old.start();
        cluster.awaitHealthy(HEALTHY);
        ZkClients.awaitVisible(only(old), "/written-while-killed", 30_000);
        assertNoDirectPeerConnections();
    }

    @Test
    @Order(3)
    public void pausingTheLeaderElectsANewOneAndTheResumedNodeRejoins() throws Exception {
        Node old = cluster.awaitLeader(HEALTHY);
        old.pause();
        assertTrue(old.paused());
        awaitNewLeaderOtherThan(old, Duration.ofSeconds(30));
        ZkClients.createEventually(others(old), "/written-while-paused", 20_000);
        old.resume();
        cluster.awaitHealthy(HEALTHY);
        awaitRole(old, r -> r == Role.FOLLOWER, Duration.ofSeconds(30));
        ZkClients.awaitVisible(only(old), "/written-while-paused", 30_000);
    }

    @Test
    @Order(4)
    public void oneWayCutFromLeaderToAFollowerDropsOnlyThatFollower() throws Exception {
        Node leader = cluster.awaitLeader(HEALTHY);
        List<Node> followers = cluster.nodes().stream().filter(n -> n.id() != leader.id()).toList();
        Node deaf = followers.get(0);
        Node healthy = followers.get(1);

        cluster.network().block("one-way", leader.id(), deaf.id());
        // the deaf follower hears no leader and leaves; it cannot get back in while the cut lasts
        awaitRole(deaf, r -> r != Role.FOLLOWER, Duration.ofSeconds(20));
        Thread.sleep(3 * spec().tickTimeMs() * spec().syncLimit());
        assertNotEquals(Role.FOLLOWER, deaf.status().role());
        // the leader still hears the deaf node's direction and the healthy follower: its quorum holds
        assertEquals(Role.LEADER, leader.status().role());
        assertEquals(Role.FOLLOWER, healthy.status().role());
        ZkClients.createEventually(cluster.clientConnectString(List.of(leader.id(), healthy.id())), "/written-during-one-way", 20_000);

        cluster.network().heal("one-way");
        cluster.awaitHealthy(HEALTHY);
        ZkClients.awaitVisible(only(deaf), "/written-during-one-way", 30_000);
        assertNoDirectPeerConnections();
    }
}
