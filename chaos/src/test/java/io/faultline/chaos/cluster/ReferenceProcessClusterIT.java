package io.faultline.chaos.cluster;

import java.nio.file.Path;

/** A 3-voter reference-server ensemble (its ZAB) of child JVMs, every link through the embedded Toxiproxy. */
class ReferenceProcessClusterIT extends EnsembleScenarios {
    @Override
    protected ClusterSpec spec() {
        return ClusterSpec.of(ServerKind.REFERENCE, 3, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(11))
                .withName("ref-proc")
                .withTiming(200, 10, 5)
                .withDataRoot(Path.of("target", "clusters"));
    }
}
