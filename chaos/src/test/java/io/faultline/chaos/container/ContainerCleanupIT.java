package io.faultline.chaos.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Backend;
import io.faultline.chaos.cluster.Cleanup;
import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.ServerKind;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Node containers carry the cluster label; close() removes them, and so does the Cleanup command (also paused ones). */
class ContainerCleanupIT {
    static int labelled(String cluster) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerNode.CLUSTER_LABEL, cluster)).exec().size();
    }

    @Test
    void closeAndCleanupLeaveNoContainer() throws Exception {
        try (ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.6.250", 0)) {
            ToxiproxyClient client = new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort());
            ClusterSpec spec = ClusterSpec.of(ServerKind.ZOOKEEPER, 1, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(54))
                    .withName("cont-clean").withBackend(Backend.CONTAINER).withDataRoot(Path.of("target", "clusters").toAbsolutePath());
            try (Cluster cluster = Cluster.create(spec, client)) {
                cluster.start();
                cluster.awaitHealthy(Duration.ofSeconds(60));
                assertEquals(1, labelled("cont-clean"));
            }
            assertEquals(0, labelled("cont-clean"), "close() removes the container");

            Cluster leaky = Cluster.create(spec, client);
            try {
                leaky.start();
                leaky.node(1).pause();
                assertTrue(leaky.node(1).paused());
                assertEquals(1, Cleanup.removeNodeContainers(Optional.of("cont-clean")));
                assertEquals(0, labelled("cont-clean"));
                assertFalse(leaky.node(1).running());
            } finally {
                leaky.close(); // must cope with the container already gone
            }
        }
    }
}
