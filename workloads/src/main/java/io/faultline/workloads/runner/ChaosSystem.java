package io.faultline.workloads.runner;

import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Backend;
import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.Node;
import io.faultline.chaos.cluster.ServerKind;
import io.faultline.chaos.toxiproxy.ToxiproxyProvider;
import io.faultline.workloads.workload.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster run by the chaos module: real Apache ZooKeeper or the reference server, as child
 * processes or containers, every link (clients included) through the embedded Toxiproxy.
 * Nodes bind 127.0.4.x, proxies 127.0.7.x (the Toxiproxy API 127.0.7.250).
 */
public final class ChaosSystem implements SystemUnderTest {
    private static final Logger log = LoggerFactory.getLogger(ChaosSystem.class);
    static final String NODE_NETWORK = "127.0.4";
    static final String PROXY_NETWORK = "127.0.7";
    static final String TOXIPROXY_HOST = "127.0.7.250";
    static final Duration HEALTHY = Duration.ofSeconds(60);

    private final ToxiproxyProvider.Handle toxiproxy;
    private final Cluster cluster;
    private final String description;

    private ChaosSystem(ToxiproxyProvider.Handle toxiproxy, Cluster cluster, String description) {
        this.toxiproxy = toxiproxy;
        this.cluster = cluster;
        this.description = description;
    }

    /** Starts the cluster the options describe and waits until it serves. */
    public static ChaosSystem start(TestOptions o, Path runDir) throws Exception {
        ServerKind kind = o.system().equals("zookeeper") ? ServerKind.ZOOKEEPER : ServerKind.REFERENCE;
        Backend backend = o.backend().equals("container") ? Backend.CONTAINER : Backend.PROCESS;
        String name = ("fl-" + o.system() + "-" + Long.toHexString(System.nanoTime() & 0xffffff)).replaceAll("[^A-Za-z0-9._-]", "-");
        ClusterSpec spec = ClusterSpec.of(kind, o.nodes(), AddressPlan.of(NODE_NETWORK, PROXY_NETWORK))
                .withName(name)
                .withBackend(backend)
                .withObservers(o.observers())
                .withTiming(200, 10, 5);
        ToxiproxyProvider.Handle tp = new ToxiproxyProvider.Embedded(TOXIPROXY_HOST, 0, o.seed()).start();
        Cluster cluster = null;
        try {
            cluster = Cluster.create(spec, tp.client());
            cluster.start();
            cluster.awaitHealthy(HEALTHY);
            String what = switch (kind) {
                case ZOOKEEPER -> "Apache ZooKeeper 3.9.4";
                case REFERENCE -> "faultline reference server";
            };
            String desc = String.format("%s, %d voter%s%s, %s backend, embedded Toxiproxy on every link", what, o.nodes(),
                    o.nodes() == 1 ? " (standalone)" : "s", o.observers() > 0 ? " + " + o.observers() + " observers" : "",
                    backend.name().toLowerCase());
            return new ChaosSystem(tp, cluster, desc);
        } catch (Exception | Error e) {
            if (cluster != null) {
                copyLogs(cluster, runDir.resolve("logs"));
                cluster.close();
            }
            tp.close();
            throw e;
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<Endpoint> endpoints() {
        return cluster.nodes().stream().map(n -> new Endpoint("n" + n.id(), cluster.clientConnectString(List.of(n.id())))).toList();
    }

    @Override
    public Endpoint leader() {
        Optional<Node> l = cluster.leader();
        return l.map(n -> new Endpoint("n" + n.id(), cluster.clientConnectString(List.of(n.id())))).orElse(null);
    }

    @Override
    public NemesisDriver nemesis(List<String> faults, long seed, Path events) throws IOException {
        return new ChaosNemesis(cluster, seed, events);
    }

    @Override
    public void awaitHealthy(Duration timeout) throws Exception {
        cluster.awaitHealthy(timeout);
    }

    @Override
    public void collectLogs(Path dir) {
        copyLogs(cluster, dir);
    }

    private static void copyLogs(Cluster cluster, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Node n : cluster.nodes()) {
                Path log = n.logFile();
                if (log != null && Files.exists(log)) Files.copy(log, dir.resolve("n" + n.id() + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not collect node logs into {}", dir, e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            toxiproxy.close();
        }
    }
}
