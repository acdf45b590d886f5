package io.faultline.chaos.cluster;

import java.nio.file.Path;

/** A 3-voter Apache ZooKeeper 3.9.4 ensemble of child JVMs, every link through the embedded Toxiproxy. */
class ZooKeeperProcessClusterIT extends EnsembleScenarios {
    @Override
    protected ClusterSpec spec() {
        return ClusterSpec.of(ServerKind.ZOOKEEPER, 3, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(1))
                .withName("zk-proc")
                .withTiming(200, 10, 5)
                .withDataRoot(Path.of("target", "clusters"));
    }
}
