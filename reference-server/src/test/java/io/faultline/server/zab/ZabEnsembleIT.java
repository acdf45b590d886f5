package io.faultline.server.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: faultline servers as a ZAB ensemble on 127.0.5.x, driven with the official ZooKeeper client.
 */
class ZabEnsembleIT {

    private static final Duration ELECTION = Duration.ofSeconds(30);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Retries a write through ConnectionLoss (the outcome of a lost write is unknown, so creates tolerate NodeExists). */
    private static void createRetrying(ZooKeeper zk, String path, byte[] data) throws Exception {
        long deadline = System.nanoTime() + ELECTION.toNanos();
        while (true) {
            try {
                zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return;
            } catch (KeeperException.NodeExistsException e) {
                return;
            } catch (KeeperException.ConnectionLossException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void ensembleElectsReplicatesFailsOverAndSurvivesKillingEveryone(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 3, 1)) {
            try {
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader and two followers",
                        () -> ens.leader() > 0 && ens.countMode("follower") == 2);
                int leader = ens.leader();
                ZabEnsemble.await(ELECTION, "the observer serving", () -> "observer".equals(ens.mode(4)));
                assertTrue(ens.fourLetterWord(leader, "mntr").contains("zk_server_state\tleader"),
                        ens.fourLetterWord(leader, "mntr"));

                List<String> acknowledged = new ArrayList<>();
                int follower = leader == 1 ? 2 : 1;
                // Writes through a follower and through the observer are forwarded to the leader.
                try (ZooKeeper viaFollower = ZabEnsemble.connect(ens.connectString(follower));
                        ZooKeeper viaObserver = ZabEnsemble.connect(ens.connectString(4))) {
                    for (int i = 0; i < 20; i++) {
                        String p = "/f" + i;
                        viaFollower.create(p, bytes("v" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                        acknowledged.add(p);
                    }
                    viaObserver.create("/fromObserver", bytes("o"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    acknowledged.add("/fromObserver");
                    // The observer serves reads locally; it catches up with the commits it is informed of.
                    ZabEnsemble.await(Duration.ofSeconds(10), "the observer to see /f19",
                            () -> ZabEnsemble.exists(viaObserver, "/f19"));
                    assertArrayEquals(bytes("v7"), viaObserver.getData("/f7", false, null));
                    assertArrayEquals(bytes("o"), waitData(viaFollower, "/fromObserver"));
                }

                // kill -9 the leader: the others elect a new one and writes succeed again.
                long killedAt = System.nanoTime();
                ens.kill(leader);
                int[] survivors = others(ens, leader);
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(survivors))) {
                    createRetrying(zk, "/afterFailover", bytes("x"));
                    acknowledged.add("/afterFailover");
                    long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
                    int newLeader = ens.leader();
                    assertNotEquals(leader, newLeader);
                    assertTrue(newLeader > 0, "a new leader serves");
                    System.out.println("leader " + leader + " killed; first write acknowledged after " + failoverMs
                            + " ms; new leader " + newLeader);
                    for (int i = 0; i < 10; i++) {
                        zk.create("/g" + i, bytes("g" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                        acknowledged.add("/g" + i);
                    }
                }
                ens.start(leader); // the old leader rejoins as a follower (TRUNC/DIFF as needed)
                ZabEnsemble.await(ELECTION, "the old leader to rejoin", () -> "follower".equals(ens.mode(leader)));

                // Everyone dies at once; every acknowledged write survives on every server.
                ens.killAll();
                ens.startAll();
                ZabEnsemble.await(ELECTION, "everyone serving again after a full restart",
                        () -> ens.leader() > 0 && ens.countMode("follower") == 2
                                && "observer".equals(ens.mode(4)));
                for (int i = 1; i <= ens.size(); i++) {
                    try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(i))) {
                        for (String p : acknowledged) {
                            final int server = i;
                            ZabEnsemble.await(Duration.ofSeconds(10), p + " on server " + server, () -> ZabEnsemble.exists(zk, p));
                        }
                        assertArrayEquals(bytes("g9"), zk.getData("/g9", false, null));
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + ens.logs(), t);
            }
        }
    }

    @Test
    void aMinorityCannotCommit(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 3, 0)) {
            try {
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader and two followers",
                        () -> ens.leader() > 0 && ens.countMode("follower") == 2);
                int leader = ens.leader();
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(leader))) {
                    zk.create("/before", bytes("b"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                // Kill the majority: the leader alone must stop serving (no quorum within syncLimit) and commit nothing.
                for (int i : others(ens, leader)) {
                    ens.kill(i);
                }
                ZabEnsemble.await(Duration.ofSeconds(15), "the lone leader to stop serving",
                        () -> ens.mode(leader) == null);
                String srvr = ens.fourLetterWord(leader, "srvr");
                // Not serving: srvr and mntr show the LOOKING state; data commands say the server is not serving.
                assertTrue(srvr.contains("\nMode: looking\n"), srvr);
                assertTrue(ens.fourLetterWord(leader, "mntr").contains("zk_server_state\tlooking"));
                assertTrue(ens.fourLetterWord(leader, "cons").contains("not currently serving"));
                ZooKeeper zk = new ZooKeeper(ens.connectString(leader), 4000, e -> { });
                try {
                    assertThrows(KeeperException.class, () -> zk.create("/minority", bytes("m"),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                } finally {
                    zk.close();
                }
                // The majority comes back: /minority was never committed; /before was.
                for (int i : others(ens, leader)) {
                    ens.start(i);
                }
                ZabEnsemble.await(ELECTION, "a quorum again", () -> ens.leader() > 0 && ens.countMode("follower") == 2);
                try (ZooKeeper again = ZabEnsemble.connect(ens.connectString(1, 2, 3))) {
                    assertArrayEquals(bytes("b"), again.getData("/before", false, null));
                    assertNull(again.exists("/minority", false));
                }
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + ens.logs(), t);
            }
        }
    }

    @Test
    void sessionsOnFollowersLiveOnMoveServersAndTheirEphemeralsGoEverywhere(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 3, 0)) {
            try {
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader and two followers",
                        () -> ens.leader() > 0 && ens.countMode("follower") == 2);
                int leader = ens.leader();
                int[] followers = others(ens, leader);
                java.util.concurrent.BlockingQueue<Watcher.Event.KeeperState> states =
                        new java.util.concurrent.LinkedBlockingQueue<>();
                ZooKeeper owner = new ZooKeeper(ens.connectString(followers), 4000, e -> {
                    if (e.getType() == Watcher.Event.EventType.None) {
                        states.add(e.getState());
                    }
                });
                try (ZooKeeper observer = ZabEnsemble.connect(ens.connectString(leader))) {
                    assertEquals(Watcher.Event.KeeperState.SyncConnected, states.poll(20, TimeUnit.SECONDS));
                    owner.create("/eph", bytes("e"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                    long session = owner.getSessionId();
                    // Only the leader expires sessions; followers report their live sessions, so this one lives on.
                    Thread.sleep(6000);
                    assertTrue(ZabEnsemble.exists(observer, "/eph"), "the session of a client on a follower expired while connected");
                    // kill -9 the follower the client is on: it reconnects to the other one with the same session.
                    int on = -1;
                    for (int f : followers) {
                        if (owner.toString().contains("remoteserver:" + ens.hostOf(f) + "/")
                                || owner.toString().contains(ens.hostOf(f) + ":" + ZabEnsemble.CLIENT_PORT)) {
                            on = f;
                        }
                    }
                    assertTrue(on > 0, "cannot tell which server the client is on: " + owner);
                    ens.kill(on);
                    assertEquals(Watcher.Event.KeeperState.Disconnected, states.poll(20, TimeUnit.SECONDS));
                    assertEquals(Watcher.Event.KeeperState.SyncConnected, states.poll(20, TimeUnit.SECONDS));
                    assertEquals(session, owner.getSessionId());
                    assertTrue(ZabEnsemble.exists(owner, "/eph"), "the session's ephemeral survives the move");
                    owner.create("/afterMove", bytes("m"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    owner.close(); // closeSession is a transaction: the ephemeral goes on every server
                    ZabEnsemble.await(Duration.ofSeconds(10), "/eph deleted", () -> !ZabEnsemble.exists(observer, "/eph"));
                    assertTrue(ZabEnsemble.exists(observer, "/afterMove"));
                } finally {
                    owner.close();
                }
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + ens.logs(), t);
            }
        }
    }

    @Test
    void fiveVotersSurviveLosingTheLeaderAndAnotherServer(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 5, 0)) {
            try {
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader and four followers",
                        () -> ens.leader() > 0 && ens.countMode("follower") == 4);
                int leader = ens.leader();
                int[] rest = others(ens, leader);
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(rest))) {
                    for (int i = 0; i < 10; i++) {
                        zk.create("/five" + i, bytes("x" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    }
                }
                ens.kill(leader);
                ens.kill(rest[0]); // two of five down: three still form a quorum
                int[] alive = {rest[1], rest[2], rest[3]};
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(alive))) {
                    createRetrying(zk, "/fiveAfter", bytes("a"));
                    for (int i = 0; i < 10; i++) {
                        assertArrayEquals(bytes("x" + i), zk.getData("/five" + i, false, null));
                    }
                }
                int newLeader = ens.leader();
                assertTrue(newLeader == alive[0] || newLeader == alive[1] || newLeader == alive[2], "leader " + newLeader);
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + ens.logs(), t);
            }
        }
    }

    private static byte[] waitData(ZooKeeper zk, String path) throws Exception {
        ZabEnsemble.await(Duration.ofSeconds(10), path, () -> ZabEnsemble.exists(zk, path));
        return zk.getData(path, false, null);
    }

    private static int[] others(ZabEnsemble ens, int not) {
        int[] r = new int[ens.voters - 1];
        int k = 0;
        for (int i = 1; i <= ens.voters; i++) {
            if (i != not) {
                r[k++] = i;
            }
        }
        assertEquals(ens.voters - 1, k);
        return r;
    }
}
