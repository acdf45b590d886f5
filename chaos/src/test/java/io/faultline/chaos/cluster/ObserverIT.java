package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Voters and observers from one spec: the observer serves reads and forwards writes, and cutting it does not cost the quorum. */
class ObserverIT {
    @Test
    void twoVotersAndAnObserver() throws Exception {
        try (ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.6.250", 0);
             Cluster cluster = Cluster.create(ClusterSpec.of(ServerKind.ZOOKEEPER, 2, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(71))
                     .withObservers(1).withName("observers").withDataRoot(Path.of("target", "clusters")),
                     new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()))) {
            cluster.start();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            Node observer = cluster.node(3);
            assertFalse(observer.voter());
            assertEquals(Role.OBSERVER, observer.status().role());
            ZkClients.createEventually(cluster.clientConnectString(List.of(3)), "/via-observer", 20_000);
            ZkClients.awaitVisible(cluster.clientConnectString(List.of(1, 2)), "/via-observer", 20_000);

            cluster.network().isolate("cut-observer", 3);
            EnsembleScenarios.awaitRole(observer, r -> r != Role.OBSERVER, Duration.ofSeconds(20));
            ZkClients.createEventually(cluster.clientConnectString(List.of(1, 2)), "/voters-alone", 20_000);
            cluster.network().heal("cut-observer");
            cluster.awaitHealthy(Duration.ofSeconds(60));
            ZkClients.awaitVisible(cluster.clientConnectString(List.of(3)), "/voters-alone", 20_000);
            assertTrue(cluster.leader().isPresent());
        }
    }
}
