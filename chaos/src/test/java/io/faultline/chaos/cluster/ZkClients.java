package io.faultline.chaos.cluster;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** The official ZooKeeper client, with the waits the cluster tests need. */
public final class ZkClients {
    private ZkClients() {}

    /** Connects (through the proxies named in {@code connectString}) and waits for SyncConnected. */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs, long waitMs) throws IOException, InterruptedException, TimeoutException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(waitMs, TimeUnit.MILLISECONDS)) {
            zk.close();
            throw new TimeoutException("no connection to " + connectString + " in " + waitMs + " ms");
        }
        return zk;
    }

    /** Connects, retrying until {@code waitMs} is spent (a cluster may still be electing). */
    public static ZooKeeper connectEventually(String connectString, long waitMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return connect(connectString, 4000, 5000);
            } catch (TimeoutException e) {
                last = e;
            }
        }
        throw last == null ? new TimeoutException(connectString) : last;
    }

    /** Creates {@code path}; the result code, or null if no answer came within {@code waitMs}. */
    public static KeeperException.Code tryCreate(ZooKeeper zk, String path, byte[] data, long waitMs) throws InterruptedException {
        CompletableFuture<KeeperException.Code> result = new CompletableFuture<>();
        AsyncCallback.StringCallback cb = (rc, p, ctx, name) -> result.complete(KeeperException.Code.get(rc));
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb, null);
        try {
            return result.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates {@code path} through a fresh client on {@code connectString}, retrying until it succeeds. */
    public static void createEventually(String connectString, String path, long waitMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        try (ZooKeeper zk = connectEventually(connectString, waitMs)) {
            while (true) {
                KeeperException.Code rc = tryCreate(zk, path, new byte[0], 3000);
                if (rc == KeeperException.Code.OK || rc == KeeperException.Code.NODEEXISTS) return;
                if (System.nanoTime() > deadline) throw new TimeoutException("create " + path + " via " + connectString + ": " + rc);
                Thread.sleep(200);
            }
        }
    }

    /** Waits until {@code path} is visible to a client of {@code connectString} (after a sync). */
    public static void awaitVisible(String connectString, String path, long waitMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            try (ZooKeeper zk = connect(connectString, 4000, 5000)) {
                CountDownLatch synced = new CountDownLatch(1);
                zk.sync(path.substring(0, Math.max(1, path.lastIndexOf('/'))), (rc, p, ctx) -> synced.countDown(), null);
                synced.await(3, TimeUnit.SECONDS);
                if (zk.exists(path, false) != null) return;
            } catch (TimeoutException | KeeperException e) {
                // not serving yet
            }
            if (System.nanoTime() > deadline) throw new TimeoutException(path + " not visible via " + connectString);
            Thread.sleep(200);
        }
    }
}
