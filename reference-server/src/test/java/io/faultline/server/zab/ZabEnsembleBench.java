package io.faultline.server.zab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Benchmark main (not a test): a 3-node faultline ensemble and a 3-node Apache ZooKeeper 3.9 ensemble, as child
 * JVMs with the same zoo.cfg (tickTime 2000, initLimit 10, syncLimit 5) and the full JIT, side by side with the
 * official client: async setData and getData throughput (client on a follower), sync setData p50/p99 with the client
 * on a follower and on the leader, and time from kill -9 of the leader to the first successful write (client) and to
 * a new leader serving (srvr polled every 5 ms). Several rounds alternate which system goes first; a summary gives
 * min–median–max per figure.
 *
 * <pre>java -cp target/test-classes:target/classes:&lt;deps&gt; io.faultline.server.zab.ZabEnsembleBench [ops] [rounds]</pre>
 * {@code -Dzab.bench.only=faultline} skips ZooKeeper; {@code -Dzab.bench.faultlineJvm="-D..."} adds JVM options to
 * the faultline nodes (diagnostics).
 */
public final class ZabEnsembleBench {
    private static final byte[] DATA = new byte[100];

    /** One round's figures for one system; latencies in ns, times in ms. */
    private record Round(double writes, double reads, long followerP50, long followerP99, long leaderP50,
            long leaderP99, long clientFailoverMs, long serverFailoverMs) {}

    private static final String[] SYSTEMS = {"faultline", "Apache ZooKeeper 3.9.4"};

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        // Extra JVM options for the faultline nodes only (e.g. a diagnostic -D); -Dzab.bench.only=faultline skips ZooKeeper.
        String extra = System.getProperty("zab.bench.faultlineJvm", "");
        String only = System.getProperty("zab.bench.only", "");
        Path dir = Files.createTempDirectory("zab-bench");
        List<List<Round>> results = List.of(new ArrayList<>(), new ArrayList<>());
        System.out.println("| round | system | async setData ops/s | async getData ops/s | sync setData p50 / p99 ms "
                + "(client on follower) | same, client on leader | kill -9 leader → first write (client) ms "
                + "| → new leader serving (server) ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int r = 1; r <= rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int sys = (r + k) % 2; // alternate which system goes first
                if (!only.isEmpty() && !SYSTEMS[sys].startsWith(only)) {
                    continue;
                }
                Path d = dir.resolve(r + "-" + sys);
                ZabEnsemble ens = sys == 0
                        ? new ZabEnsemble(d, 3, 0, "io.faultline.server.Main", 0, 2000, 10, 5)
                        : new ZabEnsemble(d, 3, 0, "org.apache.zookeeper.server.quorum.QuorumPeerMain", 10, 2000, 10, 5);
                for (int i = 1; i <= 3; i++) {
                    List<String> opts = new ArrayList<>(List.of("-XX:TieredStopAtLevel=4")); // full JIT, as deployed
                    if (sys == 0 && !extra.isBlank()) {
                        opts.addAll(List.of(extra.trim().split("\\s+")));
                    }
                    ens.jvmOptions(i, opts.toArray(String[]::new));
                }
                Round res = run(ens, ops);
                results.get(sys).add(res);
                System.out.printf("| %d | %s | %.0f | %.0f | %.2f / %.2f | %.2f / %.2f | %d | %d |%n", r, SYSTEMS[sys],
                        res.writes(), res.reads(), res.followerP50() / 1e6, res.followerP99() / 1e6,
                        res.leaderP50() / 1e6, res.leaderP99() / 1e6, res.clientFailoverMs(), res.serverFailoverMs());
            }
        }
        System.out.println();
        System.out.println("min – median – max over " + rounds + " round(s):");
        System.out.println("| system | async setData ops/s | async getData ops/s | sync setData p50 / p99 ms (client on "
                + "follower) | same, client on leader | kill -9 leader → first write, client ms | → new leader serving, "
                + "server ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int sys = 0; sys < 2; sys++) {
            List<Round> rs = results.get(sys);
            if (rs.isEmpty()) {
                continue;
            }
            System.out.printf("| %s | %s | %s | %s / %s | %s / %s | %s | %s |%n", SYSTEMS[sys],
                    spread(rs, Round::writes, "%.0f"), spread(rs, Round::reads, "%.0f"),
                    spread(rs, x -> x.followerP50() / 1e6, "%.2f"), spread(rs, x -> x.followerP99() / 1e6, "%.2f"),
                    spread(rs, x -> x.leaderP50() / 1e6, "%.2f"), spread(rs, x -> x.leaderP99() / 1e6, "%.2f"),
                    spread(rs, x -> (double) x.clientFailoverMs(), "%.0f"),
                    spread(rs, x -> (double) x.serverFailoverMs(), "%.0f"));
        }
        System.exit(0);
    }

    private static String spread(List<Round> rs, ToDoubleFunction<Round> f, String fmt) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(fmt + "–" + fmt + "–" + fmt, v[0], median, v[v.length - 1]);
    }

    private static Round run(ZabEnsemble ens, int ops) throws Exception {
        try (ens) {
            ens.startAll();
            ZabEnsemble.await(Duration.ofSeconds(60), "leader", () -> ens.leader() > 0 && countServing(ens) == 3);
            int leader = ens.leader();
            int follower = leader == 1 ? 2 : 1; // a follower, as most clients of an ensemble are
            double writes;
            double reads;
            long[] onFollower;
            long[] onLeader;
            try (ZooKeeper zk = connect(ens.connectString(follower))) {
                zk.create("/bench", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                asyncSetData(zk, ops / 4); // warm-up
                asyncGetData(zk, ops / 4);
                syncSetData(zk, 500);
                writes = asyncSetData(zk, ops);
                reads = asyncGetData(zk, ops * 2);
                onFollower = syncSetData(zk, Math.max(1000, ops / 10));
            }
            try (ZooKeeper zk = connect(ens.connectString(leader))) {
                syncSetData(zk, 500); // warm-up
                onLeader = syncSetData(zk, Math.max(1000, ops / 10));
            }
            // Failover: kill -9 the leader; a client on the survivors writes every 5 ms until one succeeds.
            int[] survivors = leader == 1 ? new int[] {2, 3} : leader == 2 ? new int[] {1, 3} : new int[] {1, 2};
            try (ZooKeeper zk = connect(ens.connectString(survivors))) {
                AtomicInteger serverSideMs = new AtomicInteger(-1);
                long killed = System.nanoTime();
                ens.kill(leader);
                Thread poller = Thread.ofPlatform().start(() -> {
                    while (serverSideMs.get() < 0 && System.nanoTime() - killed < 60_000_000_000L) {
                        for (int s : survivors) {
                            if ("leader".equals(ens.mode(s))) {
                                serverSideMs.set((int) ((System.nanoTime() - killed) / 1_000_000));
                            }
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                long clientSide = -1;
                while (System.nanoTime() - killed < 60_000_000_000L) {
                    try {
                        zk.setData("/bench", DATA, -1);
                        clientSide = (System.nanoTime() - killed) / 1_000_000;
                        break;
                    } catch (KeeperException e) {
                        Thread.sleep(5);
                    }
                }
                poller.join(60_000);
                return new Round(writes, reads, onFollower[0], onFollower[1], onLeader[0], onLeader[1], clientSide,
                        serverSideMs.get());
            }
        }
    }

    private static int countServing(ZabEnsemble ens) {
        int n = 0;
        for (int i = 1; i <= 3; i++) {
            if (ens.mode(i) != null) {
                n++;
            }
        }
        return n;
    }

    private static ZooKeeper connect(String cs) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(cs, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to " + cs);
        }
        return zk;
    }

    private static double asyncSetData(ZooKeeper zk, int n) throws InterruptedException {
        Semaphore window = new Semaphore(1000);
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            zk.setData("/bench", DATA, -1, (rc, path, ctx, stat) -> {
                window.release();
                done.countDown();
            }, null);
        }
        done.await();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double asyncGetData(ZooKeeper zk, int n) throws InterruptedException {
        Semaphore window = new Semaphore(1000);
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            zk.getData("/bench", false, (rc, path, ctx, data, stat) -> {
                window.release();
                done.countDown();
            }, null);
        }
        done.await();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static long[] syncSetData(ZooKeeper zk, int n) throws Exception {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            zk.setData("/bench", DATA, -1);
            lat[i] = System.nanoTime() - t;
        }
        Arrays.sort(lat);
        return new long[] {lat[n / 2], lat[(int) (n * 0.99)]};
    }
}
