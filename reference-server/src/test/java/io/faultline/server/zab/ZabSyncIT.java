package io.faultline.server.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.server.zab.net.ZabReplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync() on a follower or observer catches up with the leader before answering. Every server runs with the test
 * hook {@link ZabReplication#APPLY_DELAY_PROPERTY}: while not leading it applies each commit {@value #LAG_MS} ms
 * late, so a plain read on a learner right after a write acknowledged by the leader is stale (checked: the same
 * check fails without sync), and only sync()+getData is guaranteed to see the write. Servers on 127.0.5.101-104.
 */
class ZabSyncIT {
    private static final int LAG_MS = 1500;
    private static final int ROUNDS = 3;
    private static final Duration ELECTION = Duration.ofSeconds(30);

    @Test
    void syncOnALaggingLearnerSeesTheLeadersAcknowledgedWrite(@TempDir Path dir) throws Exception {
        try (ZabEnsemble ens = new ZabEnsemble(dir, 3, 1, "io.faultline.server.Main", 100, 500, 10, 4)) {
            try {
                for (int i = 1; i <= ens.size(); i++) {
                    ens.jvmOptions(i, "-D" + ZabReplication.APPLY_DELAY_PROPERTY + "=" + LAG_MS);
                }
                ens.startAll();
                ZabEnsemble.await(ELECTION, "a leader, two followers and the observer serving",
                        () -> ens.leader() > 0 && "observer".equals(ens.mode(4))
                                && ens.countMode("follower") == 2);
                int leader = ens.leader();
                int follower = leader == 1 ? 2 : 1;
                try (ZooKeeper writer = ZabEnsemble.connect(ens.connectString(leader));
                        ZooKeeper onFollower = ZabEnsemble.connect(ens.connectString(follower));
                        ZooKeeper onObserver = ZabEnsemble.connect(ens.connectString(4))) {
                    writer.create("/k", bytes("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    ZabEnsemble.await(Duration.ofSeconds(10), "the learners to apply /k",
                            () -> ZabEnsemble.exists(onFollower, "/k") && ZabEnsemble.exists(onObserver, "/k"));

                    int staleWithoutSync = 0;
                    for (int round = 1; round <= ROUNDS; round++) {
                        for (ZooKeeper reader : new ZooKeeper[] {onFollower, onObserver}) {
                            String value = "v" + round + "-" + (reader == onFollower ? "f" : "o");
                            writer.setData("/k", bytes(value), -1); // acknowledged: committed by a quorum
                            // Without sync: the learner answers from its lagging state.
                            if (!value.equals(string(reader.getData("/k", false, null)))) {
                                staleWithoutSync++;
                            }
                            // With sync: the learner first catches up with everything the leader committed before.
                            reader.sync("/k");
                            assertEquals(value, string(reader.getData("/k", false, null)),
                                    "getData after sync() on server " + (reader == onFollower ? follower : 4));
                        }
                    }
                    System.out.println("plain reads on lagging learners that were stale: " + staleWithoutSync + " of "
                            + 2 * ROUNDS);
                    // The lag is real, so the check above proves sync() does something.
                    assertTrue(staleWithoutSync > 0, "the test hook did not make the learners lag");

                    // A sync waiting on a learner whose leader dies is not answered as done: ConnectionLoss.
                    writer.setData("/k", bytes("last"), -1);
                    CompletableFuture<Integer> rc = new CompletableFuture<>();
                    onFollower.sync("/k", (code, path, ctx) -> rc.complete(code), null);
                    ens.kill(leader);
                    assertEquals(KeeperException.Code.CONNECTIONLOSS.intValue(), rc.get(20, TimeUnit.SECONDS),
                            "sync on a follower that lost its leader");
                }
            } catch (Throwable t) {
                System.out.println(ens.logs());
                throw t;
            }
        }
    }


    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
