package io.faultline.server.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes, small snapCount: servers snapshot and compact their logs as they go, a follower that missed more
 * than the compacted log holds catches up by SNAP (the leader's tree, sessions included), and every server restarts
 * from snapshot + log after kill -9 of all of them.
 */
class ZabSnapshotIT {

    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final int WRITES = 300;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long count(Path zabDir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(zabDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** Every /s<i> with its value, and the given ephemeral, as seen by a client of server i alone. */
    private static void assertAllThere(ZabEnsemble ens, int server, int writes) throws Exception {
        try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(server))) {
            zk.sync("/", (rc, path, ctx) -> { }, null);
            ZabEnsemble.await(Duration.ofSeconds(20), "server " + server + " holds all " + writes + " znodes", () -> {
                try {
                    return zk.getChildren("/data", false).size() == writes;
                } catch (Exception e) {
                    return false;
                }
            });
            for (int i = 0; i < writes; i += 7) {
                assertArrayEquals(bytes("v" + i), zk.getData("/data/s" + i, false, null), "server " + server + " /data/s" + i);
            }
        }
    }

    @Test
    void aFollowerFarBehindCatchesUpBySnapAndEveryoneRestartsFromSnapshots(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 3, 0)) {
            ens.extraConfig("snapCount=20");
            try {
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader and two followers",
                        () -> ens.leader() > 0 && "follower".equals(ens.mode(others(ens.leader())[0]))
                                && "follower".equals(ens.mode(others(ens.leader())[1])));
                int leader = ens.leader();
                int lagging = others(leader)[0];
                int other = others(leader)[1];
                ens.kill(lagging);
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(leader, other));
                        ZooKeeper owner = ZabEnsemble.connect(ens.connectString(other))) {
                    zk.create("/data", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    for (int i = 0; i < WRITES; i++) {
                        zk.create("/data/s" + i, bytes("v" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    }
                    owner.create("/eph", bytes("e"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                    // The survivors snapshotted and compacted: their logs hold far fewer than the WRITES entries.
                    Path leaderZab = ens.dataDir(leader).resolve("zab");
                    ZabEnsemble.await(Duration.ofSeconds(10), "a snapshot on the leader",
                            () -> {
                                try {
                                    return Files.readString(leaderZab.resolve("MANIFEST")).contains("snapshot ");
                                } catch (java.io.IOException e) {
                                    return false;
                                }
                            });
                    assertTrue(count(leaderZab, "log.") <= 4, "log segments are compacted away: " + count(leaderZab, "log."));

                    ens.start(lagging);
                    ZabEnsemble.await(ELECTION, "the lagging server follows again", () -> "follower".equals(ens.mode(lagging)));
                    assertTrue(ens.log(leader).contains("sends a SNAP to server " + lagging), ens.log(leader));
                    assertTrue(ens.log(lagging).contains("installed the leader's snapshot"), ens.log(lagging));
                    assertAllThere(ens, lagging, WRITES);
                    try (ZooKeeper onLagging = ZabEnsemble.connect(ens.connectString(lagging))) {
                        assertArrayEquals(bytes("e"), onLagging.getData("/eph", false, null), "sessions' ephemerals come with the SNAP");
                        onLagging.create("/afterSnap", bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    }
                    owner.close(); // its ephemeral goes everywhere, the SNAPped server included
                    try (ZooKeeper onLagging = ZabEnsemble.connect(ens.connectString(lagging))) {
                        ZabEnsemble.await(Duration.ofSeconds(10), "/eph gone on the SNAPped server",
                                () -> !ZabEnsemble.exists(onLagging, "/eph"));
                    }
                }

                ens.killAll();
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader after restarting everyone", () -> ens.leader() > 0);
                for (int i = 1; i <= 3; i++) {
                    int s = i;
                    ZabEnsemble.await(ELECTION, "server " + s + " serving", () -> ens.mode(s) != null);
                    assertAllThere(ens, s, WRITES);
                    try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(s))) {
                        assertArrayEquals(bytes("a"), zk.getData("/afterSnap", false, null));
                        assertEquals(null, zk.exists("/eph", false));
                    }
                }
                for (int i = 1; i <= 3; i++) {
                    String log = ens.log(i);
                    String lastRecovery = log.substring(log.lastIndexOf("recovered: snapshot at 0x"));
                    assertTrue(!lastRecovery.startsWith("recovered: snapshot at 0x0,"),
                            "server " + i + " restarted from a snapshot:\n" + lastRecovery.lines().findFirst().orElse(""));
                }
                try (ZooKeeper zk = ZabEnsemble.connect(ens.connectString(1, 2, 3))) {
                    zk.create("/afterRestart", bytes("r"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } catch (KeeperException e) {
                    throw new AssertionError("write after restart failed", e);
                }
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + ens.logs(), t);
            }
        }
    }

    private static int[] others(int not) {
        return switch (not) {
            case 1 -> new int[] {2, 3};
            case 2 -> new int[] {1, 3};
            default -> new int[] {1, 2};
        };
    }
}
