package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import io.faultline.server.persist.SnapshotStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.CreateRequest;
import org.junit.jupiter.api.Test;

/** Restart from snapshots + log: same tree, sequence counters continue, restored sessions still expire. */
class RecoveryIT {
    static final String HOST = "127.0.1.11";

    static long digest(ZkServer server) throws Exception {
        var f = new CompletableFuture<Long>();
        server.core().enqueue(() -> f.complete(server.core().tree().digest()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void restartRestoresTreeSessionsAndCounters() throws Exception {
        Path dir = TestServer.tempDir("recovery");
        Map<String, String> cfg = Map.of("snapCount", "200", "clientPort", Integer.toString(RealZooKeeper.freePort(HOST)));
        long before;
        try (ZkServer server = ZkServer.start(TestServer.config(dir, HOST, cfg))) {
            ZooKeeper zk = TestServer.connect(HOST + ":" + server.port(), 10_000, null);
            zk.create("/r", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 600; i++) zk.create("/r/n" + i, ("v" + i).getBytes(), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 100; i++) zk.setData("/r/n" + i, "w".getBytes(), -1);
            for (int i = 0; i < 3; i++) {
                zk.delete(zk.create("/r/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL), -1);
            }
            RawClient silent = RawClient.connected(HOST, server.port(), 1000);
            silent.request(1, 1, new CreateRequest("/r/eph", null, new ArrayList<>(Ids.OPEN_ACL_UNSAFE), CreateMode.EPHEMERAL.toFlag()));
            silent.readFrame();
            zk.sync("/r");
            zk.close(); // closeSession: its own ephemerals (none) go
            before = digest(server);
            silent.socket.close(); // the session stays in the table; the server stops before it expires
            server.close();
        }
        assertFalse(new SnapshotStore(dir).snapshots().isEmpty(), "snapshots were taken");
        try (ZkServer server = ZkServer.start(TestServer.config(dir, HOST, cfg))) {
            assertEquals(before, digest(server), "same tree and sessions after restart");
            ZooKeeper zk = TestServer.connect(HOST + ":" + server.port(), 10_000, null);
            assertEquals(600 + 1, zk.getChildren("/r", false).size(), "600 nodes + the restored ephemeral");
            assertEquals("w", new String(zk.getData("/r/n5", false, null)));
            assertEquals("/r/s0000000604", zk.create("/r/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                    "creation counter survives restart (ZOOKEEPER-1046)");
            long deadline = System.currentTimeMillis() + 10_000;
            while (zk.exists("/r/eph", false) != null) {
                assertTrue(System.currentTimeMillis() < deadline, "restored session never expired");
                Thread.sleep(50);
            }
            zk.close();
        }
    }
}
