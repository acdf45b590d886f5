package io.faultline.workloads.zk;

import io.faultline.workloads.client.EventSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One session of the official ZooKeeper client, with the bits a history needs: the reply header zxid
 * of the last reply, the session id, and a per-op timeout. Requests use the async API so a reply that
 * never comes becomes a timeout rather than a hang. Used by one worker thread.
 */
public final class ZkSession implements AutoCloseable {
    /** One reply: result code plus whatever the call returns, and the reply header zxid. */
    public record Reply(Code code, byte[] data, Stat stat, String name, List<String> children, long zxid) {
        public boolean ok() {
            return code == Code.OK;
        }
    }

    /** The reply did not come within the per-op timeout. */
    public static final class OpTimeoutException extends Exception {
        public OpTimeoutException(String what) {
            super(what + " timed out");
        }
    }

    private final RecordingZooKeeper zk;
    private final String node;
    private final Duration opTimeout;
    private volatile boolean expired;
    private final List<Runnable> heldEvents = new java.util.ArrayList<>();
    private boolean replyUnrecorded;

    private ZkSession(RecordingZooKeeper zk, String node, Duration opTimeout) {
        this.zk = zk;
        this.node = node;
        this.opTimeout = opTimeout;
    }

    /**
     * Connects to {@code connectString} (one server: the worker's node) and waits for the session.
     * Session state changes go to {@code events} as session-event entries.
     */
    public static ZkSession open(String connectString, String node, Duration sessionTimeout, Duration connectTimeout,
                                 Duration opTimeout, EventSink events) throws IOException, InterruptedException,
            OpTimeoutException {
        CountDownLatch connected = new CountDownLatch(1);
        ZkSession[] self = new ZkSession[1];
        Watcher watcher = (WatchedEvent e) -> {
            if (e.getType() == Watcher.Event.EventType.None) {
                Watcher.Event.KeeperState s = e.getState();
                if (s == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
                if (s == Watcher.Event.KeeperState.Expired && self[0] != null) self[0].expired = true;
                ZkSession me = self[0];
                if (me != null) {
                    events.event("session-event", me.sessionId(), node, Map.of("state", s.name()));
                }
            } else if (self[0] != null) {
                Map<String, Object> extra = new HashMap<>();
                extra.put("watch-path", e.getPath());
                extra.put("event-type", e.getType().name());
                extra.put("event-zxid", e.getZxid());
                long session = self[0].sessionId();
                self[0].inReplyOrder(() -> events.event("watch-event", session, node, extra));
            }
        };
        RecordingZooKeeper zk = new RecordingZooKeeper(connectString, (int) sessionTimeout.toMillis(), watcher);
        ZkSession session = new ZkSession(zk, node, opTimeout);
        self[0] = session;
        if (!connected.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            session.close();
            throw new OpTimeoutException("connecting to " + node + " (" + connectString + ")");
        }
        return session;
    }

    public ZooKeeper zk() {
        return zk;
    }

    public String node() {
        return node;
    }

    public long sessionId() {
        return zk.getSessionId();
    }

    /** The negotiated session timeout. */
    public int sessionTimeoutMs() {
        return zk.getSessionTimeout();
    }

    /** The session is gone (expired): every further op fails; the worker needs a new session. */
    public boolean expired() {
        return expired || !zk.getState().isAlive();
    }

    /** Where the socket goes, "host:port", or null when disconnected. */
    public String remote() {
        SocketAddress a = zk.remote();
        return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : null;
    }

    public Reply getData(String path, boolean watch) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.getData(path, watch, (rc, p, ctx, data, stat) -> f.complete(reply(rc, data, stat, null, null)), null);
        return await(f, "getData " + path);
    }

    public Reply setData(String path, byte[] data, int version) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.setData(path, data, version, (rc, p, ctx, stat) -> f.complete(reply(rc, null, stat, null, null)), null);
        return await(f, "setData " + path);
    }

    public Reply create(String path, byte[] data, CreateMode mode) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode,
                (rc, p, ctx, name, stat) -> f.complete(reply(rc, null, stat, name, null)), null);
        return await(f, "create " + path);
    }

    public Reply delete(String path, int version) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.delete(path, version, (rc, p, ctx) -> f.complete(reply(rc, null, null, null, null)), null);
        return await(f, "delete " + path);
    }

    public Reply sync(String path) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.sync(path, (rc, p, ctx) -> f.complete(reply(rc, null, null, null, null)), null);
        return await(f, "sync " + path);
    }

    public Reply exists(String path, boolean watch) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.exists(path, watch, (rc, p, ctx, stat) -> f.complete(reply(rc, null, stat, null, null)), null);
        return await(f, "exists " + path);
    }

    public Reply children(String path, boolean watch) throws InterruptedException, OpTimeoutException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        zk.getChildren(path, watch, (rc, p, ctx, kids, stat) -> f.complete(reply(rc, null, stat, null, kids)), null);
        return await(f, "getChildren " + path);
    }

    /** Creates {@code path} and its parents if missing (persistent, empty). */
    public void ensurePath(String path) throws InterruptedException, OpTimeoutException, IOException {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            sb.append('/').append(part);
            Reply r = create(sb.toString(), new byte[0], CreateMode.PERSISTENT);
            if (!r.ok() && r.code() != Code.NODEEXISTS) throw new IOException("creating " + sb + ": " + r.code());
        }
    }

    /**
     * Records a watch event after the completion of the op whose reply the client delivered before it.
     * The client's event thread hands over replies and events in the order they arrived, but the worker
     * records a completion only after it wakes up; an event recorded meanwhile would look as if it came
     * first (e.g. a NodeCreated before the exists that set the watch).
     */
    private void inReplyOrder(Runnable record) {
        synchronized (heldEvents) { // recording under this lock keeps held and new events in order
            if (replyUnrecorded) heldEvents.add(record);
            else record.run();
        }
    }

    /** The worker recorded the completion of its op: events held back behind its reply go in now. */
    public void completionRecorded() {
        synchronized (heldEvents) {
            replyUnrecorded = false;
            heldEvents.forEach(Runnable::run);
            heldEvents.clear();
        }
    }

    private Reply reply(int rc, byte[] data, Stat stat, String name, List<String> kids) {
        synchronized (heldEvents) {
            replyUnrecorded = true;
        }
        // runs on the client's event thread right after the reply was read: lastZxid is this reply's
        return new Reply(Code.get(rc), data, stat, name, kids, zk.lastZxid());
    }

    private Reply await(CompletableFuture<Reply> f, String what) throws InterruptedException, OpTimeoutException {
        try {
            return f.get(opTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OpTimeoutException(what);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Closes the session (closeSession request) and returns the closeSession's reply zxid, or -1 when no
     * reply came in time (e.g. the leader is paused): then the session ends by expiry, at no known zxid.
     * Call with no other request outstanding: a zxid newer than before the close is then its reply's.
     */
    public long closeAndLastZxid() {
        long before = zk.lastZxid();
        close();
        long after = zk.lastZxid();
        return after > before ? after : -1;
    }

    @Override
    public void close() {
        try {
            zk.close(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The official client, opened up only to read its last reply zxid and remote address. */
    static final class RecordingZooKeeper extends ZooKeeper {
        RecordingZooKeeper(String connectString, int sessionTimeoutMs, Watcher watcher) throws IOException {
            super(connectString, sessionTimeoutMs, watcher);
        }

        long lastZxid() {
            return cnxn.getLastZxid();
        }

        SocketAddress remote() {
            return testableRemoteSocketAddress();
        }
    }
}
