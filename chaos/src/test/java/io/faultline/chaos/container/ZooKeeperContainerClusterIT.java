package io.faultline.chaos.container;

import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Backend;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.EnsembleScenarios;
import io.faultline.chaos.cluster.ServerKind;
import java.nio.file.Path;

/**
 * A 3-voter Apache ZooKeeper ensemble, each node a container (host networking) of the node image
 * built on the local base image; every link through the embedded Toxiproxy in this JVM. Never
 * skipped: without a Docker engine this fails.
 */
class ZooKeeperContainerClusterIT extends EnsembleScenarios {
    @Override
    protected ClusterSpec spec() {
        return ClusterSpec.of(ServerKind.ZOOKEEPER, 3, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(21))
                .withName("zk-cont")
                .withBackend(Backend.CONTAINER)
                .withTiming(200, 10, 5)
                .withDataRoot(Path.of("target", "clusters").toAbsolutePath());
    }
}
