package io.faultline.chaos.container;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.cluster.AbstractCluster;
import io.faultline.chaos.cluster.AbstractNode;
import io.faultline.chaos.cluster.ClusterSpec;
import java.nio.file.Path;

/**
 * Each node a container (host networking) of {@link NodeImage}, labelled
 * {@value ContainerNode#CLUSTER_LABEL}=name; data and logs are bind-mounted from the host at the
 * same path. Pause is docker pause. Needs TESTCONTAINERS_RYUK_DISABLED=true and
 * TESTCONTAINERS_HOST_OVERRIDE=localhost in the environment (Failsafe and ./faultline set them).
 */
public final class ContainerCluster extends AbstractCluster {
    public ContainerCluster(ClusterSpec spec, ToxiproxyClient toxiproxy) {
        super(spec, toxiproxy);
    }

    @Override
    protected void prepare() {
        NodeImage.get();
    }

    @Override
    protected AbstractNode newNode(int id, Path clusterHome) {
        return new ContainerNode(spec, id, clusterHome);
    }

    @Override
    protected void release() {
        for (var n : nodes()) ((ContainerNode) n).remove();
    }
}
