package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import io.faultline.server.persist.TxnLog;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** kill -9 of a server child process: acknowledged writes survive; torn tails are cut, mid-log damage stops start. */
class CrashRecoveryIT {
    static final String HOST = "127.0.1.5";

    @Test
    void acknowledgedWritesSurviveKillNineAndTornTailsAreTruncated() throws Exception {
        Path dir = TestServer.tempDir("crash");
        int port = RealZooKeeper.freePort(HOST);
        Path cfg = ServerProcess.writeConfig(dir, HOST, port);
        Path log = dir.resolve("server.log");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try (ServerProcess server = ServerProcess.start(cfg, HOST, port, log)) {
            assertTrue(server.running(), server.logText());
            ZooKeeper zk = TestServer.connect(HOST + ":" + port, 10_000, null);
            zk.create("/crash", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            var inFlight = new java.util.concurrent.Semaphore(1000);
            var enough = new java.util.concurrent.CountDownLatch(1);
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    try {
                        inFlight.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    zk.create("/crash/n" + i, new byte[100], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
                        inFlight.release();
                        if (rc == 0) {
                            acked.add(name);
                            if (acked.size() >= 3000) enough.countDown();
                        }
                    }, null);
                }
            });
            assertTrue(enough.await(60, TimeUnit.SECONDS), "acked " + acked.size());
            server.kill9(); // with ~1000 writes still in flight
            writer.interrupt();
            writer.join(10_000);
            zk.close();
        }
        int ackedCount = acked.size();
        try (ServerProcess server = ServerProcess.start(cfg, HOST, port, log)) {
            ZooKeeper zk = TestServer.connect(HOST + ":" + port, 10_000, null);
            List<String> present = zk.getChildren("/crash", false);
            for (String path : acked) assertTrue(present.contains(path.substring("/crash/".length())), "lost acknowledged " + path);
            assertTrue(present.size() >= ackedCount);
            zk.close();
        }

        // tear the last record of the newest log: the server starts, cuts it and says so
        Path versionDir = dir.resolve("data").resolve("version-2");
        List<Path> logs = TxnLog.logFiles(versionDir);
        Path newest = logs.get(logs.size() - 1);
        long size = Files.size(newest);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7);
        }
        try (ServerProcess server = ServerProcess.start(cfg, HOST, port, log)) {
            assertTrue(server.running(), server.logText());
            assertTrue(server.logText().contains("torn tail"), "truncation is reported");
            ZooKeeper zk = TestServer.connect(HOST + ":" + port, 10_000, null);
            assertTrue(zk.getChildren("/crash", false).size() >= ackedCount - 1);
            zk.create("/after-truncation", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.close();
        }

        // damage a record in the middle: the server refuses to start with a clear message
        logs = TxnLog.logFiles(versionDir);
        Path first = logs.get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(first, bytes);
        Files.writeString(log, "");
        try (ServerProcess server = ServerProcess.start(cfg, HOST, port, log)) {
            assertEquals(4, server.waitForExit(), server.logText());
            assertTrue(server.logText().contains("refusing to start"), server.logText());
            assertTrue(server.logText().contains("corrupt at offset"), server.logText());
        }
    }

    @Test
    void badConfigIsRejectedClearly() throws Exception {
        Path dir = TestServer.tempDir("badcfg");
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=abc\ndataDir=" + dir + "\n");
        Path log = dir.resolve("server.log");
        try (ServerProcess server = ServerProcess.start(cfg, HOST, 1, log)) {
            assertEquals(2, server.waitForExit());
            assertTrue(server.logText().contains("tickTime is not a number"), server.logText());
        }
    }
}
