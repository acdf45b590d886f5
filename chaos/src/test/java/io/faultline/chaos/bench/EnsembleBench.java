package io.faultline.chaos.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.cluster.AbstractCluster;
import io.faultline.chaos.cluster.AbstractNode;
import io.faultline.chaos.cluster.AddressPlan;
import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.Node;
import io.faultline.chaos.cluster.Role;
import io.faultline.chaos.cluster.ServerKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Benchmark main (not a test): a 3-voter Apache ZooKeeper 3.9.4 ensemble and a 3-voter reference-server (ZAB)
 * ensemble, each started through the chaos module's {@link Cluster} API as child JVMs on the process backend, side
 * by side in one run with the official client. Per round and system: async setData and getData throughput (100-byte
 * value, 1000 requests outstanding, error replies counted apart), sync setData p50/p99, then kill -9 of the leader and
 * the time to the first successful write (client side, a sync setData retried every 5 ms) and to a survivor reporting
 * itself leader over srvr (server side, polled every 5 ms).
 *
 * <p>Measures the servers, not the proxies: the bench may use only 127.0.8.x, where {@link AddressPlan} cannot give
 * proxies a network of their own, so the cluster gets a Toxiproxy API that records proxies without listening, every
 * node's zoo.cfg names its peers' real addresses (extra config overriding the generated server lines) and the client
 * dials the nodes' real client addresses. Timing is ZooKeeper's usual tickTime 2000, initLimit 10, syncLimit 5; the
 * node JVMs run with the full JIT (the cluster default stops at C1 to start fast).
 *
 * <pre>java -cp chaos/target/test-classes:chaos/target/classes:&lt;test classpath&gt; io.faultline.chaos.bench.EnsembleBench [rounds] [ops]</pre>
 */
public final class EnsembleBench {
    private static final byte[] VALUE = new byte[100];
    private static final int OUTSTANDING = 1000;
    private static final String NETWORK = "127.0.8";
    /** Never bound: the proxy-less Toxiproxy API below only records proxies. */
    private static final String UNUSED_PROXY_NETWORK = "127.255.8";
    private static final Duration HEALTHY = Duration.ofSeconds(90);
    private static final long FAILOVER_LIMIT_MS = 60_000;

    /** One round's figures for one system; {@code failure} set if the round could not finish. */
    record Row(String system, int round, double writesPerSec, long writeErrors, double readsPerSec, long readErrors,
               double p50Ms, double p99Ms, double leaderP50Ms, double leaderP99Ms, long clientFailoverMs, long serverFailoverMs, String acknowledgedWrites,
               String failure) {
        String markdown() {
            if (failure != null) return "| " + system + " | " + round + " | failed: " + failure + " | | | | | | |";
            return String.format("| %s | %d | %.0f%s | %.0f%s | %.2f / %.2f | %.2f / %.2f | %s | %s | %s |", system, round,
                    writesPerSec, writeErrors > 0 ? " (" + writeErrors + " errors)" : "", readsPerSec,
                    readErrors > 0 ? " (" + readErrors + " errors)" : "", p50Ms, p99Ms, leaderP50Ms, leaderP99Ms,
                    ms(clientFailoverMs),
                    ms(serverFailoverMs), acknowledgedWrites);
        }

        private static String ms(long v) {
            return v < 0 ? "none in 60 s" : String.valueOf(v);
        }
    }

    private EnsembleBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        List<Row> rows = new ArrayList<>();
        try (ProxylessToxiproxyApi api = ProxylessToxiproxyApi.start(NETWORK + ".250")) {
            for (int round = 1; round <= rounds; round++) {
                for (ServerKind kind : List.of(ServerKind.ZOOKEEPER, ServerKind.REFERENCE)) {
                    Row row = runRound(kind, round, ops, api.client());
                    System.out.println(row.markdown());
                    rows.add(row);
                }
            }
        }
        System.out.println();
        System.out.println("| system | round | async setData ops/s | async getData ops/s | sync setData p50 / p99 ms "
                + "| same, client on the leader "
                + "| kill -9 leader → first write (client) ms | → new leader serving (server) ms "
                + "| acknowledged setData kept after failover |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println(r.markdown()));
        System.exit(0); // ZooKeeper client threads are not all daemons
    }

    static String systemName(ServerKind kind) {
        return kind == ServerKind.ZOOKEEPER ? "Apache ZooKeeper 3.9.4" : "reference-server (ZAB)";
    }

    static ClusterSpec spec(ServerKind kind) {
        int firstHost = kind == ServerKind.ZOOKEEPER ? 1 : 11;
        AddressPlan plan = new AddressPlan(NETWORK, UNUSED_PROXY_NETWORK, firstHost, 2181, 2888, 3888, 12000);
        Map<String, String> directPeers = new LinkedHashMap<>();
        for (int id = 1; id <= 3; id++) {
            directPeers.put("server." + id, plan.nodeHost(id) + ":" + plan.quorumPort() + ":" + plan.electionPort());
        }
        return ClusterSpec.of(kind, 3, plan)
                .withName(kind == ServerKind.ZOOKEEPER ? "bench-zk" : "bench-ref")
                .withTiming(2000, 10, 5)
                .withDataRoot(Path.of("target", "ensemble-bench"))
                .withExtraConfig(directPeers)
                .withJvmOptions(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
    }

    static Row runRound(ServerKind kind, int round, int ops, ToxiproxyClient api) {
        String name = systemName(kind);
        try (Cluster cluster = Cluster.create(spec(kind), api)) {
            try {
                cluster.start();
                cluster.awaitHealthy(HEALTHY);
                Node leader = cluster.awaitLeader(HEALTHY);
                List<Node> survivors = cluster.nodes().stream().filter(n -> n.id() != leader.id()).toList();
                String followerOnly = hostPort(survivors.getFirst().clientAddress());
                double writes;
                double reads;
                long writeErrors;
                long readErrors;
                double[] latency;
                long acked; // setData calls answered OK: each must have bumped /bench's version
                try (ZooKeeper zk = connect(followerOnly)) {
                    zk.create("/bench", VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    AtomicLong errors = new AtomicLong();
                    asyncSetData(zk, ops / 2, errors); // warm-up for the JIT on both sides
                    acked = ops / 2 - errors.get();
                    asyncGetData(zk, ops / 2, new AtomicLong());
                    errors.set(0);
                    writes = asyncSetData(zk, ops, errors);
                    writeErrors = errors.get();
                    acked += ops - writeErrors;
                    errors.set(0);
                    reads = asyncGetData(zk, ops * 2, errors);
                    readErrors = errors.get();
                    int syncOps = Math.max(1000, ops / 10);
                    latency = syncSetData(zk, syncOps);
                    acked += syncOps;
                }
                // The same sync loop against the leader itself: separates forwarding cost from commit cost.
                double[] leaderLatency;
                try (ZooKeeper zk = connect(hostPort(leader.clientAddress()))) {
                    int syncOps = Math.max(1000, ops / 10);
                    leaderLatency = syncSetData(zk, syncOps);
                    acked += syncOps;
                }
                long[] failover = failover(cluster, leader, survivors);
                acked += failover[2];
                // A setData that failed with connection loss during failover may still have applied: version >= acked.
                long version = versionAfterSync(survivors);
                String kept = version >= acked ? "yes (version " + version + " ≥ " + acked + " acked)"
                        : "NO: version " + version + " < " + acked + " acked";
                return new Row(name, round, writes, writeErrors, reads, readErrors, latency[0], latency[1],
                        leaderLatency[0], leaderLatency[1], failover[0], failover[1], kept, null);
            } catch (Exception | AssertionError e) {
                String logs = cluster.nodes().stream()
                        .map(n -> "--- " + n + " log tail:\n" + ((AbstractNode) n).logTail(20))
                        .collect(Collectors.joining("\n"));
                System.err.println(name + " round " + round + " failed: " + e + "\n" + logs);
                return new Row(name, round, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, "", e.toString().replace('|', '/').replace('\n', ' '));
            }
        }
    }

    /** /bench's version as a survivor sees it after a sync. */
    static long versionAfterSync(List<Node> survivors) throws Exception {
        String cs = survivors.stream().map(n -> hostPort(n.clientAddress())).collect(Collectors.joining(","));
        try (ZooKeeper zk = connect(cs)) {
            CountDownLatch synced = new CountDownLatch(1);
            zk.sync("/bench", (rc, path, ctx) -> synced.countDown(), null);
            if (!synced.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("sync after failover not answered in 30 s");
            return zk.exists("/bench", false).getVersion();
        }
    }

    /**
     * Kills the leader with SIGKILL; returns {client ms, server ms, setData calls acknowledged}: a client on the survivors' real addresses
     * retries a sync setData every 5 ms, a poller asks both survivors' srvr every 5 ms.
     */
    static long[] failover(Cluster cluster, Node leader, List<Node> survivors) throws Exception {
        String survivorsOnly = survivors.stream().map(n -> hostPort(n.clientAddress())).collect(Collectors.joining(","));
        try (ZooKeeper zk = connect(survivorsOnly);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            zk.setData("/bench", VALUE, -1);
            long killedAt = System.nanoTime();
            leader.kill();
            Future<Long> serverSide = pool.submit(() -> {
                while (elapsedMs(killedAt) < FAILOVER_LIMIT_MS) {
                    List<Future<Role>> roles = survivors.stream().map(n -> pool.submit(() -> n.status().role())).toList();
                    for (Future<Role> r : roles) {
                        if (r.get() == Role.LEADER) return elapsedMs(killedAt);
                    }
                    Thread.sleep(5);
                }
                return -1L;
            });
            long clientSide = -1;
            while (elapsedMs(killedAt) < FAILOVER_LIMIT_MS) {
                try {
                    zk.setData("/bench", VALUE, -1);
                    clientSide = elapsedMs(killedAt);
                    break;
                } catch (KeeperException e) {
                    Thread.sleep(5);
                }
            }
            long server = serverSide.get();
            if (cluster.leaders().size() > 1) throw new AssertionError("two leaders after failover: " + AbstractCluster.describe(cluster.statuses()));
            return new long[] {clientSide, server, clientSide >= 0 ? 2 : 1};
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no connection to " + connectString + " in 30 s");
        }
        return zk;
    }

    /** {@code n} async setData with at most {@link #OUTSTANDING} in flight; ops/s over all replies, error replies counted in {@code errors}. */
    static double asyncSetData(ZooKeeper zk, int n, AtomicLong errors) throws InterruptedException {
        Semaphore window = new Semaphore(OUTSTANDING);
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            zk.setData("/bench", VALUE, -1, (rc, path, ctx, stat) -> {
                if (rc != 0) errors.incrementAndGet();
                window.release();
                done.countDown();
            }, null);
        }
        await(done);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double asyncGetData(ZooKeeper zk, int n, AtomicLong errors) throws InterruptedException {
        Semaphore window = new Semaphore(OUTSTANDING);
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            zk.getData("/bench", false, (rc, path, ctx, data, stat) -> {
                if (rc != 0 || data == null || data.length != VALUE.length) errors.incrementAndGet();
                window.release();
                done.countDown();
            }, null);
        }
        await(done);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException(done.getCount() + " replies missing after 120 s");
    }

    /** {p50 ms, p99 ms} of {@code n} sync setData calls. */
    static double[] syncSetData(ZooKeeper zk, int n) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            zk.setData("/bench", VALUE, -1);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return new double[] {nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6};
    }

    /**
     * Just enough of the Toxiproxy HTTP API for {@link Cluster#start()} and {@link Cluster#close()}: proxies are
     * "created" (echoed back) and deleted, but nothing listens, so no address outside 127.0.8.x is bound.
     */
    static final class ProxylessToxiproxyApi implements AutoCloseable {
        private final HttpServer http;

        private ProxylessToxiproxyApi(HttpServer http) {
            this.http = http;
        }

        static ProxylessToxiproxyApi start(String host) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, 0), 0);
            http.createContext("/", EnsembleBench.ProxylessToxiproxyApi::handle);
            http.start();
            return new ProxylessToxiproxyApi(http);
        }

        ToxiproxyClient client() {
            return new ToxiproxyClient(http.getAddress().getHostString(), http.getAddress().getPort());
        }

        private static void handle(HttpExchange ex) throws IOException {
            try (ex; InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                switch (ex.getRequestMethod()) {
                    case "POST" -> {
                        // toxiproxy-java posts {"name","listen","upstream"} and reads those plus "enabled" back
                        String echo = body.trim().replaceFirst("}$", ",\"enabled\":true,\"toxics\":[]}");
                        reply(ex, 201, echo);
                    }
                    case "DELETE" -> {
                        ex.sendResponseHeaders(204, -1);
                    }
                    default -> reply(ex, 404, "{\"error\":\"proxy not found\",\"status\":404}");
                }
            }
        }

        private static void reply(HttpExchange ex, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
