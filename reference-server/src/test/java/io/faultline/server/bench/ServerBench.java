package io.faultline.server.bench;

import io.faultline.server.ServerConfig;
import io.faultline.server.ZkServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * Standalone throughput/latency, reference server vs Apache ZooKeeper 3.9.4, same JVM, same run: official client,
 * fsync on, 100-byte values, 1000 async ops outstanding (setData, getData), then sequential setData latency.
 * Run: {@code java -cp <test classpath> io.faultline.server.bench.ServerBench [seconds]}.
 */
public final class ServerBench {
    static final int OUTSTANDING = 1000;
    static final byte[] VALUE = new byte[100];

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        var results = new StringBuilder();
        results.append(String.format("%-22s %14s %14s %12s %12s%n", "server", "setData ops/s", "getData ops/s", "set p50 ms", "set p99 ms"));
        for (int round = 0; round < 2; round++) {
            results.append(runOurs(seconds));
            results.append(runZooKeeper(seconds));
        }
        System.out.println(results);
    }

    static String runOurs(int seconds) throws Exception {
        Path dir = Files.createTempDirectory("bench-ours");
        var m = new HashMap<String, String>();
        m.put("tickTime", "2000");
        m.put("dataDir", dir.toString());
        m.put("clientPortAddress", "127.0.1.7");
        m.put("clientPort", "0");
        m.put("maxClientCnxns", "0");
        try (ZkServer server = ZkServer.start(ServerConfig.parse(m, null))) {
            return measure("faultline reference", "127.0.1.7:" + server.port(), seconds);
        }
    }

    static String runZooKeeper(int seconds) throws Exception {
        Path dir = Files.createTempDirectory("bench-zk");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.1.8"))) {
            port = s.getLocalPort();
        }
        var p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", "127.0.1.8");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("maxClientCnxns", "0");
        try (var zk = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p).exitHandler(ExitHandler.LOG_ONLY).build()) {
            zk.start(30_000);
            return measure("Apache ZooKeeper 3.9.4", "127.0.1.8:" + port, seconds);
        }
    }

    static String measure(String name, String connect, int seconds) throws Exception {
        var connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        try {
            if (!connected.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("no connection to " + connect);
            for (int i = 0; i < 100; i++) zk.create("/bench" + i, VALUE, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            asyncRun(zk, true, 2); // warm-up
            double set = asyncRun(zk, true, seconds);
            asyncRun(zk, false, 2);
            double get = asyncRun(zk, false, seconds);
            long[] lat = syncSetLatencies(zk, Math.max(3, seconds / 2));
            return String.format("%-22s %14.0f %14.0f %12.2f %12.2f%n", name, set, get,
                    lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6);
        } finally {
            zk.close();
        }
    }

    /** Ops per second with OUTSTANDING async ops in flight. */
    static double asyncRun(ZooKeeper zk, boolean write, int seconds) throws Exception {
        var slots = new Semaphore(OUTSTANDING);
        var done = new AtomicLong();
        var errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            slots.acquire();
            String path = "/bench" + (i++ % 100);
            if (write) {
                zk.setData(path, VALUE, -1, (rc, p, ctx, stat) -> {
                    if (rc != 0) errors.incrementAndGet();
                    done.incrementAndGet();
                    slots.release();
                }, null);
            } else {
                zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                    if (rc != 0) errors.incrementAndGet();
                    done.incrementAndGet();
                    slots.release();
                }, null);
            }
        }
        slots.acquire(OUTSTANDING);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (errors.get() > 0) throw new IllegalStateException(errors.get() + " failed ops");
        return done.get() / elapsed;
    }

    static long[] syncSetLatencies(ZooKeeper zk, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[] lat = new long[1 << 20];
        int n = 0;
        while (System.nanoTime() < end && n < lat.length) {
            long t0 = System.nanoTime();
            zk.setData("/bench0", VALUE, -1);
            lat[n++] = System.nanoTime() - t0;
        }
        long[] out = Arrays.copyOf(lat, n);
        Arrays.sort(out);
        return out;
    }
}
