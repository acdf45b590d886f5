package io.faultline.chaos.cluster;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;

/**
 * A stand-in harness JVM for {@link CleanupIT}: starts a cluster, prints its node pids, then
 * waits to be killed. Args: cluster name, first host octet, data root.
 */
public final class HarnessMain {
    public static void main(String[] args) throws Exception {
        ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.6.249", 0);
        Cluster cluster = Cluster.create(ClusterSpec.of(ServerKind.ZOOKEEPER, 1,
                        AddressPlan.of("127.0.3", "127.0.6").withFirstHost(Integer.parseInt(args[1])))
                .withName(args[0]).withDataRoot(Path.of(args[2])), new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()));
        cluster.start();
        StringBuilder pids = new StringBuilder();
        for (Node n : cluster.nodes()) pids.append(' ').append(((ProcessNode) n).pid());
        System.out.println("READY" + pids);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
