package io.faultline.chaos.container;

import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Backend;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.EnsembleScenarios;
import io.faultline.chaos.cluster.ServerKind;
import java.nio.file.Path;

/** A 3-voter reference-server ensemble, each node a container; never skipped. */
class ReferenceContainerClusterIT extends EnsembleScenarios {
    @Override
    protected ClusterSpec spec() {
        return ClusterSpec.of(ServerKind.REFERENCE, 3, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(31))
                .withName("ref-cont")
                .withBackend(Backend.CONTAINER)
                .withTiming(200, 10, 5)
                .withDataRoot(Path.of("target", "clusters").toAbsolutePath());
    }
}
