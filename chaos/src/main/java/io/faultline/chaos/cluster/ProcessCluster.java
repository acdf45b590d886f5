package io.faultline.chaos.cluster;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.nio.file.Path;

/** Each node a child JVM of this one, on this JVM's classpath, bound to its own loopback address. */
public final class ProcessCluster extends AbstractCluster {
    public ProcessCluster(ClusterSpec spec, ToxiproxyClient toxiproxy) {
        super(spec, toxiproxy);
    }

    @Override
    protected AbstractNode newNode(int id, Path clusterHome) {
        return new ProcessNode(spec, id, clusterHome);
    }
}
