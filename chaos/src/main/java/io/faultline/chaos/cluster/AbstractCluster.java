package io.faultline.chaos.cluster;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Topology, discovery and cleanup shared by the process and container backends. */
public abstract class AbstractCluster implements Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractCluster.class);

    protected final ClusterSpec spec;
    protected final Network network;
    private final List<AbstractNode> nodes = new ArrayList<>();
    private boolean started;
    private volatile boolean closed;

    protected AbstractCluster(ClusterSpec spec, ToxiproxyClient toxiproxy) {
        this.spec = spec;
        this.network = new Network(spec, toxiproxy);
    }

    /** Creates the backend's node object (not started). */
    protected abstract AbstractNode newNode(int id, Path clusterHome);

    /** Called once before the first node starts (e.g. to build an image). */
    protected void prepare() throws IOException {}

    /** Called once by close() after the nodes are killed. */
    protected void release() {}

    /** {@code dataRoot/name}: every node's directories live under it. */
    public Path home() {
        return spec.dataRoot().toAbsolutePath().resolve(spec.name());
    }

    @Override
    public ClusterSpec spec() {
        return spec;
    }

    @Override
    public synchronized void start() throws IOException {
        if (closed) throw new IllegalStateException("cluster " + spec.name() + " is closed");
        if (!started) {
            LiveClusters.register(this);
            Dirs.deleteTree(home());
            for (int id = 1; id <= spec.size(); id++) nodes.add(newNode(id, home()));
            prepare();
            network.create();
            for (AbstractNode n : nodes) n.writeConfig();
            started = true;
        }
        for (AbstractNode n : nodes) n.start();
        LOG.info("cluster {} started: {} {} node(s), clients at {}", spec.name(), spec.size(), spec.system(), clientConnectString());
    }

    @Override
    public void stop() {
        nodes().forEach(Node::stop);
    }

    @Override
    public List<Node> nodes() {
        synchronized (this) {
            return List.copyOf(nodes);
        }
    }

    private synchronized List<AbstractNode> abstractNodes() {
        return List.copyOf(nodes);
    }

    @Override
    public Node node(int id) {
        List<Node> all = nodes();
        if (id < 1 || id > all.size()) throw new IllegalArgumentException("no node " + id + " in " + spec.name());
        return all.get(id - 1);
    }

    @Override
    public Map<Integer, NodeStatus> statuses() {
        List<Node> all = nodes();
        Map<Integer, NodeStatus> out = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<NodeStatus>> answers = all.stream().map(n -> pool.submit(n::status)).toList();
            for (int i = 0; i < all.size(); i++) {
                NodeStatus s;
                try {
                    s = answers.get(i).get();
                } catch (ExecutionException e) {
                    s = NodeStatus.UNREACHABLE;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    s = NodeStatus.UNREACHABLE;
                }
                out.put(all.get(i).id(), s);
            }
        }
        return out;
    }

    @Override
    public List<Node> leaders() {
        return statuses().entrySet().stream()
                .filter(e -> e.getValue().role() == Role.LEADER || e.getValue().role() == Role.STANDALONE)
                .map(e -> node(e.getKey()))
                .toList();
    }

    @Override
    public Optional<Node> leader() {
        List<Node> l = leaders();
        return l.size() == 1 ? Optional.of(l.getFirst()) : Optional.empty();
    }

    @Override
    public Node awaitLeader(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Node> l = leader();
            if (l.isPresent()) return l.get();
            if (System.nanoTime() > deadline) throw new TimeoutException("no single leader in " + spec.name() + " after " + timeout + ": " + describe(statuses()));
            Thread.sleep(100);
        }
    }

    @Override
    public void awaitHealthy(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, NodeStatus> last;
        while (true) {
            last = statuses();
            if (healthy(last)) return;
            for (AbstractNode n : abstractNodes()) {
                if (n.crashed()) throw new IllegalStateException(n + " exited while the cluster should be healthy; its log ends:\n" + n.logTail(25));
            }
            if (System.nanoTime() > deadline) break;
            Thread.sleep(100);
        }
        throw new TimeoutException("cluster " + spec.name() + " not healthy after " + timeout + ": " + describe(last));
    }

    private boolean healthy(Map<Integer, NodeStatus> statuses) {
        int leaders = 0;
        for (Node n : nodes()) {
            if (!n.running() || n.paused()) continue;
            Role role = statuses.get(n.id()).role();
            if (spec.standalone()) return role == Role.STANDALONE;
            if (n.voter()) {
                if (role == Role.LEADER) leaders++;
                else if (role != Role.FOLLOWER) return false;
            } else if (role != Role.OBSERVER) {
                return false;
            }
        }
        return leaders == 1;
    }

    public static String describe(Map<Integer, NodeStatus> statuses) {
        return statuses.entrySet().stream()
                .map(e -> "n" + e.getKey() + "=" + e.getValue().role()
                        + (e.getValue().zxid() >= 0 ? "@0x" + Long.toHexString(e.getValue().zxid()) : ""))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public String clientConnectString() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= spec.size(); i++) ids.add(i);
        return clientConnectString(ids);
    }

    @Override
    public String clientConnectString(List<Integer> nodeIds) {
        return nodeIds.stream()
                .map(id -> Network.hostPort(spec.addresses().proxiedClientAddress(id)))
                .collect(Collectors.joining(","));
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public void close() {
        List<AbstractNode> all;
        synchronized (this) {
            if (closed) return;
            closed = true;
            all = List.copyOf(nodes);
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AbstractNode n : all) {
                pool.submit(() -> {
                    try {
                        n.kill();
                    } catch (RuntimeException e) {
                        LOG.warn("could not kill {}: {}", n, e.toString());
                    }
                });
            }
        }
        release();
        network.destroy();
        for (AbstractNode n : all) {
            try {
                Dirs.deleteTree(n.dataDir());
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", n.dataDir(), e.toString());
            }
        }
        LiveClusters.unregister(this);
    }
}
