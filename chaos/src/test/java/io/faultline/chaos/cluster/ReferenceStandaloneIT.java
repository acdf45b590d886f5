package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** One reference-server node as a child JVM behind its client proxy: serve, kill -9, restart with data, pause, wipe. */
class ReferenceStandaloneIT {
    @Test
    void startKillRestartPauseWipe() throws Exception {
        try (ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.6.250", 0);
             Cluster cluster = Cluster.create(ClusterSpec.of(ServerKind.REFERENCE, 1, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(61))
                     .withName("ref-one").withDataRoot(Path.of("target", "clusters")), new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()))) {
            cluster.start();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            Node n = cluster.node(1);
            assertEquals(Role.STANDALONE, n.status().role());
            assertEquals("127.0.6.61:2181", cluster.clientConnectString());
            ZkClients.createEventually(cluster.clientConnectString(), "/kept", 20_000);

            n.kill();
            assertFalse(n.running());
            assertEquals(Role.UNREACHABLE, n.status().role());
            n.start();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            ZkClients.awaitVisible(cluster.clientConnectString(), "/kept", 20_000);
            assertTrue(n.status().zxid() > 0, "zxid from srvr: " + n.status());

            try (ZooKeeper zk = ZkClients.connect(cluster.clientConnectString(), 4000, 10_000)) {
                n.pause();
                assertNotEquals(KeeperException.Code.OK, ZkClients.tryCreate(zk, "/while-paused", new byte[0], 1_500), "a frozen node answers nothing");
                n.resume();
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));

            n.restart();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            ZkClients.awaitVisible(cluster.clientConnectString(), "/kept", 20_000);

            n.kill();
            n.wipe();
            n.start();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            try (ZooKeeper zk = ZkClients.connectEventually(cluster.clientConnectString(), 20_000)) {
                assertEquals(null, zk.exists("/kept", false), "wipe removed the data");
                assertNotNull(zk.exists("/", false));
            }
        }
    }
}
