package io.faultline.server.zab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Benchmark main (not a test): a 3-node faultline ensemble and a 3-node Apache ZooKeeper 3.9 ensemble, as child
 * JVMs with the same zoo.cfg (tickTime 2000, initLimit 10, syncLimit 5), side by side with the official client:
 * async setData and getData throughput, sync setData p50/p99, and time from kill -9 of the leader to the first
 * successful write (client) and to a new leader serving (srvr polled every 5 ms).
 *
 * <pre>java -cp target/test-classes:target/classes:&lt;deps&gt; io.faultline.server.zab.ZabEnsembleBench [ops]</pre>
 */
public final class ZabEnsembleBench {
    private static final byte[] DATA = new byte[100];

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("zab-bench");
        System.out.println("| system | async setData ops/s | async getData ops/s | sync setData p50 ms | p99 ms "
                + "| kill -9 leader → first write (client) ms | → new leader serving (server) ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        run("faultline", new ZabEnsemble(dir.resolve("faultline"), 3, 0, "io.faultline.server.Main", 0, 2000, 10, 5),
                ops);
        run("Apache ZooKeeper 3.9.4",
                new ZabEnsemble(dir.resolve("zookeeper"), 3, 0, "org.apache.zookeeper.server.quorum.QuorumPeerMain", 10,
                        2000, 10, 5), ops);
        System.exit(0);
    }

    private static void run(String name, ZabEnsemble ens, int ops) throws Exception {
        try (ens) {
            ens.startAll();
            ZabEnsemble.await(Duration.ofSeconds(60), name + " leader", () -> ens.leader() > 0
                    && countServing(ens) == 3);
            int leader = ens.leader();
            int client = leader == 1 ? 2 : 1; // a follower, as most clients of an ensemble are
            String row;
            try (ZooKeeper zk = connect(ens.connectString(client))) {
                zk.create("/bench", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                asyncSetData(zk, ops / 4); // warm-up
                double writes = asyncSetData(zk, ops);
                double reads = asyncGetData(zk, ops * 2);
                long[] lat = syncSetData(zk, Math.max(1000, ops / 10));
                row = String.format("| %s | %.0f | %.0f | %.2f | %.2f |", name, writes, reads, lat[0] / 1e6, lat[1] / 1e6);
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
                row += String.format(" %d | %d |", clientSide, serverSideMs.get());
            }
            System.out.println(row);
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
