package io.faultline.server;

import io.faultline.server.ClientConnection.ConnectFrame;
import io.faultline.server.ClientConnection.PendingRequest;
import io.faultline.server.ClientConnection.PendingRequest.Kind;
import io.faultline.server.tree.ApplyResult;
import io.faultline.server.tree.DataTree;
import io.faultline.server.tree.Node;
import io.faultline.server.tree.OpResult;
import io.faultline.server.tree.SessionInfo;
import io.faultline.server.tree.WatchTrigger;
import io.faultline.server.txn.Ops;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-threaded heart of a server: owns the DataTree, the preparer, watches, sessions and every
 * connection's request FIFO. All mutation happens on its thread; other threads talk to it with
 * {@link #enqueue}. See docs/reference-server-design.md.
 */
public final class ServerCore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerCore.class);
    private static final long PASSWORD_SECRET = 0xB3415C00L;

    /** Receives a consistent snapshot of the tree (serialized on the core thread) to persist. */
    public interface Snapshotter {
        void snapshot(long zxid, byte[] payload);
    }

    private final ServerConfig config;
    private final DataTree tree;
    private final TxnPreparer preparer;
    private final WatchManager watches = new WatchManager();
    private final ServerStats stats = new ServerStats();
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final long startedMillis = System.currentTimeMillis();

    /**
     * Replication hook for sync() on a server that does not assign zxids (ZAB follower/observer): the reply must
     * wait for a round trip through the leader. Absent (null) on standalone servers and the ZAB leader, where the
     * local barrier (everything assigned so far is applied) is the leader's.
     */
    public interface SyncBarrier {
        /**
         * Called on the core thread for each client sync. Must eventually call exactly one of, from any thread:
         * {@code caughtUp.accept(zxid)} once everything the leader had committed before answering is at most
         * {@code zxid} and has been handed to {@link #deliverCommitted} (the sync is answered once zxid is applied),
         * or {@code failed.run()} when no leader can answer (the client's connection is closed: ConnectionLoss).
         */
        void sync(LongConsumer caughtUp, Runnable failed);
    }

    // core-confined state
    private WritePath writePath;
    private SyncBarrier syncBarrier;
    private long lastAssignedZxid;
    private final Map<Long, ClientConnection> sessionConnections = new HashMap<>();
    private final Map<Long, Long> sessionDeadlines = new HashMap<>();
    private final Set<Long> closingSessions = new HashSet<>();
    private final Set<ClientConnection> syncWaiters = new LinkedHashSet<>();
    private long nextSessionId;
    private long nextContainerCheck;
    private int txnsSinceSnapshot;
    private int snapshotThreshold;
    private Snapshotter snapshotter;

    // published for four-letter words
    private volatile boolean serving = true;
    private volatile String mode = "standalone";
    private volatile boolean sessionAuthority = true;
    private volatile int watchCount, ephemeralCount, outstanding;
    private volatile boolean stopped;

    public ServerCore(ServerConfig config, DataTree tree) {
        this.config = config;
        this.tree = tree;
        this.preparer = new TxnPreparer(tree, config.ttlEnabled());
        this.lastAssignedZxid = tree.lastProcessedZxid();
        this.nextSessionId = (config.serverId() << 56) | ((System.currentTimeMillis() << 24) >>> 8);
        long now = System.currentTimeMillis();
        // restored sessions get a full timeout to reconnect (ZOOKEEPER-1367)
        for (SessionInfo s : tree.sessions().values()) sessionDeadlines.put(s.sessionId(), now + s.timeoutMs());
        this.nextContainerCheck = now + config.containerCheckIntervalMs();
        this.snapshotThreshold = nextSnapshotThreshold();
        this.thread = new Thread(this::run, "zk-core");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        Thread ticker = Thread.ofPlatform().daemon().name("zk-core-tick").start(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(Math.max(10, Math.min(100, config.tickTime() / 2)));
                } catch (InterruptedException e) {
                    return;
                }
                enqueue(this::tick);
            }
        });
        ticker.setPriority(Thread.NORM_PRIORITY);
    }

    public ServerConfig config() { return config; }
    public DataTree tree() { return tree; }
    public ServerStats stats() { return stats; }
    public TxnPreparer preparer() { return preparer; }
    public boolean isServing() { return serving; }
    public String mode() { return mode; }
    int watchCount() { return watchCount; }
    int ephemeralCount() { return ephemeralCount; }
    int outstanding() { return outstanding; }
    Set<ClientConnection> connections() { return connections; }
    long startedMillis() { return startedMillis; }

    /** Runs the action on the core thread, after everything enqueued before it. Thread-safe. */
    public void enqueue(Runnable action) {
        events.add(action);
    }

    private void run() {
        while (!stopped) {
            Runnable r;
            try {
                r = events.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("core event failed", e);
            }
        }
    }

    // ---- seams for the commit stage and replication ------------------------------------------------------

    /** The commit stage hands back a committed txn (any thread, zxid order). */
    public void deliverCommitted(Txn txn) {
        enqueue(() -> applyCommitted(txn));
    }

    /**
     * Replication: replace the whole state with a snapshot (a learner installing its leader's SNAP, while not
     * serving: no client is connected). Enqueued, so it takes effect in order with {@link #deliverCommitted}.
     */
    public void resetState(byte[] snapshot) {
        enqueue(() -> {
            tree.replaceWith(DataTree.deserializeSnapshot(snapshot));
            preparer.reset();
            lastAssignedZxid = tree.lastProcessedZxid();
            sessionDeadlines.clear();
            closingSessions.clear();
            long now = System.currentTimeMillis();
            for (SessionInfo s : tree.sessions().values()) sessionDeadlines.put(s.sessionId(), now + s.timeoutMs());
            watchCount = watches.count();
            ephemeralCount = countEphemerals();
            log.info("state replaced by a snapshot at zxid 0x{} ({} nodes, {} sessions)",
                    Long.toHexString(tree.lastProcessedZxid()), tree.nodeCount(), tree.sessions().size());
        });
    }

    public void setWritePath(WritePath path) {
        enqueue(() -> {
            writePath = path;
            preparer.reset();
            lastAssignedZxid = Math.max(lastAssignedZxid, tree.lastProcessedZxid());
        });
    }

    /** Installs (or with null removes) the sync hook; see {@link SyncBarrier}. Thread-safe. */
    public void setSyncBarrier(SyncBarrier barrier) {
        enqueue(() -> syncBarrier = barrier);
    }

    /** Installs the write path before {@link #start()} (no enqueue needed). */
    public void initWritePath(WritePath path) { this.writePath = path; }

    public void setSnapshotter(Snapshotter s) { this.snapshotter = s; }

    /** Standalone / ZAB leader write path: prepare (assigning zxids) then submit to the committer. */
    public WritePath localWritePath(TxnCommitter committer) {
        return new LocalWritePath(committer);
    }

    /** Session expiry runs only where zxids are assigned (standalone, ZAB leader). */
    public void setSessionAuthority(boolean authority) { this.sessionAuthority = authority; }

    final class LocalWritePath implements WritePath {
        final TxnCommitter committer;

        LocalWritePath(TxnCommitter committer) { this.committer = committer; }

        @Override
        public void write(ClientRequest request) throws IOException {
            Txn txn = preparer.prepare(request, lastAssignedZxid + 1, System.currentTimeMillis());
            lastAssignedZxid = txn.zxid();
            committer.submit(txn);
        }

        void writeInternal(long sessionId, TxnBody body) {
            Txn txn = preparer.prepareInternal(sessionId, body, lastAssignedZxid + 1, System.currentTimeMillis());
            lastAssignedZxid = txn.zxid();
            committer.submit(txn);
        }
    }

    /** A write forwarded by a follower (ZAB leader only): same prepare path, no local reply. */
    public void submitForwarded(ClientRequest request) {
        enqueue(() -> {
            try {
                writePath.write(request);
            } catch (IOException e) {
                log.warn("dropping malformed forwarded request from session 0x{}: {}", Long.toHexString(request.sessionId()), e.getMessage());
            }
        });
    }

    /** Serving hook: a replica out of quorum stops serving; mode is what srvr/mntr report. */
    public void setServing(boolean serving, String mode) {
        this.mode = mode;
        this.serving = serving;
        if (!serving) enqueue(() -> {
            for (ClientConnection c : List.copyOf(connections)) c.close("server is not serving");
        });
    }

    public void touchSession(long sessionId) {
        enqueue(() -> touch(sessionId));
    }

    // ---- connections ---------------------------------------------------------------------------------------

    void accept(ClientConnection c) {
        // Accepted even while not serving: four-letter words still answer (srvr/mntr show "looking"); a session
        // handshake is refused in onConnect.
        connections.add(c);
        c.start();
    }

    void onConnect(ClientConnection conn, ConnectFrame f) {
        conn.requestDone();
        if (conn.isClosed()) return;
        if (!serving) {
            conn.close("server is not serving");
            return;
        }
        if (f.lastZxidSeen() > tree.lastProcessedZxid()) {
            log.info("Refusing session request for client {} as it has seen zxid 0x{} our last zxid is 0x{} client must try another server",
                    conn.remote, Long.toHexString(f.lastZxidSeen()), Long.toHexString(tree.lastProcessedZxid()));
            conn.close(null);
            return;
        }
        int timeout = Math.max(config.minSessionTimeout(), Math.min(config.maxSessionTimeout(), f.timeout()));
        conn.timeoutMs = timeout;
        conn.omitReadOnly = !f.hasReadOnly();
        if (f.sessionId() == 0) {
            long sid = nextSessionId++;
            byte[] pw = password(sid);
            conn.sessionId = sid;
            conn.pending.add(new PendingRequest(0, Ops.CREATE_SESSION, null, System.nanoTime(), Kind.CONNECT));
            outstanding++;
            sessionConnections.put(sid, conn);
            sessionDeadlines.put(sid, System.currentTimeMillis() + timeout);
            write(conn, new ClientRequest(sid, 0, Ops.CREATE_SESSION,
                    Jute.write(new ConnectRequest(0, 0, timeout, sid, pw, false)), List.of()));
            return;
        }
        long sid = f.sessionId();
        SessionInfo s = tree.sessions().get(sid);
        if (s == null || closingSessions.contains(sid) || !Arrays.equals(s.password(), f.passwd())) {
            log.info("session 0x{} is expired or invalid; telling {} so", Long.toHexString(sid), conn.remote);
            sendConnectResponse(conn, 0, 0, new byte[16]);
            conn.closeAfterFlush();
            return;
        }
        ClientConnection old = sessionConnections.put(sid, conn);
        if (old != null && old != conn) old.close("session 0x" + Long.toHexString(sid) + " moved to a new connection");
        conn.sessionId = sid;
        conn.handshakeDone = true;
        touch(sid, timeout);
        sendConnectResponse(conn, timeout, sid, s.password());
    }

    static byte[] password(long sessionId) {
        byte[] pw = new byte[16];
        new Random(sessionId ^ PASSWORD_SECRET).nextBytes(pw);
        return pw;
    }

    private void sendConnectResponse(ClientConnection conn, int timeout, long sid, byte[] pw) {
        byte[] bytes = Jute.write(new ConnectResponse(0, timeout, sid, pw, false));
        if (conn.omitReadOnly) bytes = Arrays.copyOf(bytes, bytes.length - 1);
        conn.send(bytes);
    }

    void onConnectionClosed(ClientConnection conn) {
        if (!connections.remove(conn)) return;
        watches.removeConnection(conn);
        watchCount = watches.count();
        syncWaiters.remove(conn);
        outstanding -= conn.pending.size();
        conn.pending.clear();
        if (conn.sessionId != 0 && sessionConnections.get(conn.sessionId) == conn) sessionConnections.remove(conn.sessionId);
    }

    void onRequest(ClientConnection conn, int xid, int type, byte[] body, long receivedNanos) {
        if (conn.isClosed()) return;
        if (conn.sessionId == 0) {
            conn.close("request before the connect handshake");
            return;
        }
        touch(conn.sessionId);
        conn.lastCxid = xid;
        conn.lastOp = opName(type);
        if (type == Ops.AUTH) {
            handleAuth(conn, xid, body);
            return;
        }
        if (!Ops.isClientOp(type)) {
            // like ZooKeeper's UnimplementedRequestProcessor: answer in order, then drop the connection
            type = -12345;
        }
        Kind kind = type == Ops.SYNC ? Kind.SYNC : Ops.isWrite(type) ? Kind.WRITE : Kind.READ;
        var p = new PendingRequest(xid, type, body, receivedNanos, kind);
        if (kind == Kind.READ && conn.pending.isEmpty()) {
            outstanding++;
            conn.pending.add(p);
            drain(conn);
            return;
        }
        conn.pending.add(p);
        outstanding++;
        switch (kind) {
            case WRITE -> {
                if (type == Ops.CLOSE_SESSION) closingSessions.add(conn.sessionId);
                write(conn, new ClientRequest(conn.sessionId, xid, type, body, List.copyOf(conn.authInfo)));
            }
            case SYNC -> {
                syncWaiters.add(conn);
                SyncBarrier remote = syncBarrier;
                if (remote == null) {
                    p.barrierZxid = lastAssignedZxid;
                    drain(conn);
                } else {
                    p.barrierZxid = Long.MAX_VALUE; // held (with everything behind it) until the leader answers
                    remote.sync(zxid -> enqueue(() -> {
                        p.barrierZxid = zxid;
                        drain(conn);
                    }), () -> enqueue(() -> conn.close("sync could not reach the leader")));
                }
            }
            default -> { }
        }
    }

    private void write(ClientConnection conn, ClientRequest request) {
        try {
            writePath.write(request);
        } catch (IOException | RuntimeException e) {
            // a truncated body surfaces as an EOFException with no message: name the exception then
            conn.close("malformed " + opName(request.opcode()) + " request: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    private void handleAuth(ClientConnection conn, int xid, byte[] body) {
        conn.requestDone();
        try {
            AuthPacket auth = Jute.read(body, new AuthPacket());
            if ("digest".equals(auth.getScheme()) && auth.getAuth() != null) {
                Id id = new Id("digest", Acls.digestId(new String(auth.getAuth(), java.nio.charset.StandardCharsets.UTF_8)));
                if (!conn.authInfo.contains(id)) conn.authInfo.add(id);
                conn.send(Jute.write(new ReplyHeader(xid, 0, 0)));
                return;
            }
            log.info("authentication with unsupported scheme {} from {}", auth.getScheme(), conn.remote);
        } catch (IOException e) {
            log.info("malformed auth packet from {}", conn.remote);
        }
        conn.send(Jute.write(new ReplyHeader(xid, 0, KeeperError.AUTH_FAILED)));
        conn.closeAfterFlush();
    }

    /** Answers requests at the head of the connection's FIFO until one must wait. */
    private void drain(ClientConnection conn) {
        while (!conn.pending.isEmpty() && !conn.isClosed()) {
            PendingRequest p = conn.pending.peek();
            if (p.kind == Kind.WRITE || p.kind == Kind.CONNECT) return;
            if (p.kind == Kind.SYNC) {
                if (tree.lastProcessedZxid() < p.barrierZxid) return;
                conn.pending.poll();
                outstanding--;
                String path = "/";
                try {
                    path = Jute.read(p.body, new SyncRequest()).getPath();
                } catch (IOException e) {
                    conn.close("malformed sync request");
                    return;
                }
                reply(conn, p, 0, new SyncResponse(path));
                continue;
            }
            conn.pending.poll();
            outstanding--;
            try {
                executeRead(conn, p);
            } catch (IOException | RuntimeException e) {
                conn.close("malformed " + opName(p.opcode) + " request: " + e);
                return;
            }
        }
        if (conn.pending.isEmpty() || conn.pending.peek().kind != Kind.SYNC) syncWaiters.remove(conn);
    }

    private void reply(ClientConnection conn, PendingRequest p, int err, Record... body) {
        long zxid = tree.lastProcessedZxid();
        var records = new ArrayList<Record>();
        records.add(new ReplyHeader(p.xid, zxid, err));
        if (err == 0) records.addAll(Arrays.asList(body));
        conn.send(Jute.write(records.toArray(Record[]::new)));
        conn.lastZxid = zxid;
        long micros = (System.nanoTime() - p.receivedNanos) / 1000;
        conn.recordLatency(micros);
        stats.latency(micros / 1000);
        conn.requestDone();
    }

    private void executeRead(ClientConnection conn, PendingRequest p) throws IOException {
        try {
            Record[] body = read(conn, p.opcode, p.body);
            if (body == CLOSE_AFTER) return;
            reply(conn, p, 0, body);
        } catch (KeeperError e) {
            reply(conn, p, e.code());
            if (e.code() == KeeperError.UNIMPLEMENTED) conn.closeAfterFlush();
        }
    }

    private static final Record[] CLOSE_AFTER = new Record[0];
    private static final Record[] NONE = new Record[0];

    private Record[] read(ClientConnection conn, int op, byte[] body) throws IOException, KeeperError {
        return switch (op) {
            case Ops.PING -> NONE;
            case Ops.EXISTS -> {
                var r = Jute.read(body, new ExistsRequest());
                Paths.validate(r.getPath());
                Node n = tree.get(r.getPath());
                if (n != null) Acls.check(n.acl(), Acls.READ, conn.authInfo); // before the watch, as ZooKeeper
                if (r.getWatch()) { watches.addData(r.getPath(), conn); watchCount = watches.count(); }
                if (n == null) throw new KeeperError(KeeperError.NO_NODE);
                yield new Record[] {new ExistsResponse(n.stat())};
            }
            case Ops.GET_DATA -> {
                var r = Jute.read(body, new GetDataRequest());
                yield new Record[] {getData(conn, r.getPath(), r.getWatch())};
            }
            case Ops.GET_ACL -> {
                var r = Jute.read(body, new GetACLRequest());
                Paths.validate(r.getPath());
                Node n = existing(r.getPath());
                Acls.check(n.acl(), Acls.READ | Acls.ADMIN, conn.authInfo);
                List<ACL> acl = Acls.allowed(n.acl(), Acls.ADMIN, conn.authInfo) ? n.acl() : Acls.masked(n.acl());
                yield new Record[] {new GetACLResponse(new ArrayList<>(acl), n.stat())};
            }
            case Ops.GET_CHILDREN -> {
                var r = Jute.read(body, new GetChildrenRequest());
                yield new Record[] {new GetChildrenResponse(children(conn, r.getPath(), r.getWatch()))};
            }
            case Ops.GET_CHILDREN2 -> {
                var r = Jute.read(body, new GetChildren2Request());
                List<String> children = children(conn, r.getPath(), r.getWatch());
                yield new Record[] {new GetChildren2Response(children, tree.get(r.getPath()).stat())};
            }
            case Ops.GET_ALL_CHILDREN_NUMBER -> {
                var r = Jute.read(body, new GetAllChildrenNumberRequest());
                Paths.validate(r.getPath());
                Node n = existing(r.getPath());
                Acls.check(n.acl(), Acls.READ, conn.authInfo);
                yield new Record[] {new GetAllChildrenNumberResponse(tree.descendantCount(r.getPath()))};
            }
            case Ops.GET_EPHEMERALS -> {
                var r = Jute.read(body, new GetEphemeralsRequest());
                String prefix = r.getPrefixPath();
                var out = new ArrayList<String>();
                for (String path : tree.ephemeralsOf(conn.sessionId)) {
                    if (prefix == null || prefix.isEmpty() || prefix.equals("/") || path.startsWith(prefix)) out.add(path);
                }
                yield new Record[] {new GetEphemeralsResponse(out)};
            }
            case Ops.MULTI_READ -> new Record[] {new RawRecord(multiRead(conn, body))};
            case Ops.SET_WATCHES -> {
                var r = Jute.read(body, new SetWatches());
                setWatches(conn, r.getRelativeZxid(), r.getDataWatches(), r.getExistWatches(), r.getChildWatches(), null, null);
                yield NONE;
            }
            case Ops.SET_WATCHES2 -> {
                var r = Jute.read(body, new SetWatches2());
                setWatches(conn, r.getRelativeZxid(), r.getDataWatches(), r.getExistWatches(), r.getChildWatches(),
                        r.getPersistentWatches(), r.getPersistentRecursiveWatches());
                yield NONE;
            }
            case Ops.ADD_WATCH -> {
                var r = Jute.read(body, new AddWatchRequest());
                Paths.validate(r.getPath());
                if (r.getMode() != 0 && r.getMode() != 1) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
                watches.addPersistent(r.getPath(), conn, r.getMode() == 1);
                watchCount = watches.count();
                yield new Record[] {new ErrorResponse(0)};
            }
            case Ops.CHECK_WATCHES -> {
                var r = Jute.read(body, new CheckWatchesRequest());
                if (!watches.contains(r.getPath(), r.getType(), conn)) throw new KeeperError(KeeperError.NO_WATCHER);
                yield NONE;
            }
            case Ops.REMOVE_WATCHES -> {
                var r = Jute.read(body, new RemoveWatchesRequest());
                if (!watches.remove(r.getPath(), r.getType(), conn)) throw new KeeperError(KeeperError.NO_WATCHER);
                watchCount = watches.count();
                yield NONE;
            }
            case Ops.WHO_AM_I -> {
                var infos = new ArrayList<ClientInfo>();
                var ids = new ArrayList<Id>();
                for (Id id : conn.authInfo) if (!id.getScheme().equals("ip")) ids.add(id);
                for (Id id : conn.authInfo) if (id.getScheme().equals("ip")) ids.add(id); // ZooKeeper lists ip last
                for (Id id : ids) {
                    String user = id.getScheme().equals("digest") ? id.getId().split(":", 2)[0] : id.getId();
                    infos.add(new ClientInfo(id.getScheme(), user));
                }
                yield new Record[] {new WhoAmIResponse(infos)};
            }
            case Ops.RECONFIG -> throw new KeeperError(-123); // ReconfigDisabled
            case Ops.SASL -> throw new KeeperError(KeeperError.UNIMPLEMENTED);
            default -> throw new KeeperError(KeeperError.UNIMPLEMENTED);
        };
    }

    private GetDataResponse getData(ClientConnection conn, String path, boolean watch) throws KeeperError {
        Paths.validate(path);
        Node n = existing(path);
        Acls.check(n.acl(), Acls.READ, conn.authInfo);
        if (watch) { watches.addData(path, conn); watchCount = watches.count(); }
        return new GetDataResponse(n.data(), n.stat());
    }

    private List<String> children(ClientConnection conn, String path, boolean watch) throws KeeperError {
        Paths.validate(path);
        Node n = existing(path);
        Acls.check(n.acl(), Acls.READ, conn.authInfo);
        if (watch) { watches.addChild(path, conn); watchCount = watches.count(); }
        return new ArrayList<>(n.children());
    }

    private Node existing(String path) throws KeeperError {
        Node n = tree.get(path);
        if (n == null) throw new KeeperError(KeeperError.NO_NODE);
        return n;
    }

    private byte[] multiRead(ClientConnection conn, byte[] body) throws IOException {
        var in = new BinaryInputArchive(new DataInputStream(new ByteArrayInputStream(body)));
        var bytes = new ByteArrayOutputStream();
        var out = new BinaryOutputArchive(new DataOutputStream(bytes));
        int count = 0;
        while (true) {
            var h = new MultiHeader();
            h.deserialize(in, "h");
            if (h.getDone()) break;
            if (++count > 100_000) throw new IOException("too many ops in multiRead");
            {
                switch (h.getType()) {
                    case Ops.GET_CHILDREN -> {
                        var r = new GetChildrenRequest();
                        r.deserialize(in, "r");
                        List<String> c;
                        try {
                            c = children(conn, r.getPath(), r.getWatch());
                        } catch (KeeperError e) {
                            writeMultiError(out, e.code());
                            continue;
                        }
                        new MultiHeader(Ops.GET_CHILDREN, false, 0).serialize(out, "h");
                        new GetChildrenResponse(c).serialize(out, "r");
                    }
                    case Ops.GET_DATA -> {
                        var r = new GetDataRequest();
                        r.deserialize(in, "r");
                        GetDataResponse d;
                        try {
                            d = getData(conn, r.getPath(), r.getWatch());
                        } catch (KeeperError e) {
                            writeMultiError(out, e.code());
                            continue;
                        }
                        new MultiHeader(Ops.GET_DATA, false, 0).serialize(out, "h");
                        d.serialize(out, "r");
                    }
                    default -> throw new IOException("invalid op " + h.getType() + " in multiRead");
                }
            }
        }
        new MultiHeader(-1, true, -1).serialize(out, "h");
        return bytes.toByteArray();
    }

    private static void writeMultiError(BinaryOutputArchive out, int err) throws IOException {
        new MultiHeader(-1, false, err).serialize(out, "h");
        new ErrorResponse(err).serialize(out, "r");
    }

    private void setWatches(ClientConnection conn, long relativeZxid, List<String> data, List<String> exist,
                            List<String> child, List<String> persistent, List<String> recursive) {
        long notifZxid = -1;
        if (data != null) for (String path : data) {
            Node n = tree.get(path);
            if (n == null) notify(conn, WatchTrigger.NODE_DELETED, path, notifZxid);
            else if (n.mzxid() > relativeZxid) notify(conn, WatchTrigger.NODE_DATA_CHANGED, path, notifZxid);
            else watches.addData(path, conn);
        }
        if (exist != null) for (String path : exist) {
            if (tree.get(path) != null) notify(conn, WatchTrigger.NODE_CREATED, path, notifZxid);
            else watches.addData(path, conn);
        }
        if (child != null) for (String path : child) {
            Node n = tree.get(path);
            if (n == null) notify(conn, WatchTrigger.NODE_DELETED, path, notifZxid);
            else if (n.pzxid() > relativeZxid) notify(conn, WatchTrigger.NODE_CHILDREN_CHANGED, path, notifZxid);
            else watches.addChild(path, conn);
        }
        if (persistent != null) for (String path : persistent) watches.addPersistent(path, conn, false);
        if (recursive != null) for (String path : recursive) watches.addPersistent(path, conn, true);
        watchCount = watches.count();
    }

    private void notify(ClientConnection conn, int type, String path, long zxid) {
        conn.send(Jute.write(new ReplyHeader(-1, zxid, 0), new WatcherEvent(type, 3, path)));
    }

    // ---- apply -----------------------------------------------------------------------------------------------

    private void applyCommitted(Txn txn) {
        if (txn.zxid() <= tree.lastProcessedZxid()) {
            log.warn("ignoring txn 0x{}: already applied up to 0x{}", Long.toHexString(txn.zxid()), Long.toHexString(tree.lastProcessedZxid()));
            return;
        }
        ApplyResult result = tree.apply(txn);
        preparer.applied(txn.zxid());
        if (txn.zxid() > lastAssignedZxid) lastAssignedZxid = txn.zxid();
        long sid = txn.sessionId();
        boolean sessionClosed = false;
        switch (txn.body()) {
            case TxnBody.CreateSessionTxn s -> sessionDeadlines.putIfAbsent(sid, System.currentTimeMillis() + s.timeoutMs());
            case TxnBody.CloseSessionTxn c -> {
                sessionDeadlines.remove(sid);
                closingSessions.remove(sid);
                sessionClosed = true;
            }
            default -> { }
        }
        for (WatchTrigger t : result.triggers()) {
            for (var e : watches.fire(t).entrySet()) {
                if (Acls.allowed(t.acl(), Acls.READ, e.getKey().authInfo)) notify(e.getKey(), e.getValue(), t.path(), t.zxid());
            }
        }
        if (!result.triggers().isEmpty()) {
            watchCount = watches.count();
            ephemeralCount = countEphemerals();
        }
        ClientConnection conn = sessionConnections.get(sid);
        if (conn != null && !conn.isClosed()) {
            PendingRequest head = conn.pending.peek();
            if (head != null && head.kind == Kind.CONNECT && txn.type() == Ops.CREATE_SESSION) {
                conn.pending.poll();
                outstanding--;
                conn.handshakeDone = true;
                sendConnectResponse(conn, conn.timeoutMs, sid, ((TxnBody.CreateSessionTxn) txn.body()).password());
                drain(conn);
            } else if (head != null && head.kind == Kind.WRITE && head.xid == txn.cxid()) {
                conn.pending.poll();
                outstanding--;
                replyWrite(conn, head, result.result());
                if (sessionClosed) {
                    conn.closeAfterFlush();
                } else {
                    drain(conn);
                }
            } else if (sessionClosed) {
                conn.close("session 0x" + Long.toHexString(sid) + " expired");
            }
        }
        if (sessionClosed) sessionConnections.remove(sid);
        if (!syncWaiters.isEmpty()) {
            for (ClientConnection w : List.copyOf(syncWaiters)) drain(w);
        }
        if (snapshotter != null && ++txnsSinceSnapshot >= snapshotThreshold) {
            txnsSinceSnapshot = 0;
            snapshotThreshold = nextSnapshotThreshold();
            snapshotter.snapshot(tree.lastProcessedZxid(), tree.serializeSnapshot());
        }
    }

    private int nextSnapshotThreshold() {
        int half = Math.max(1, config.snapCount() / 2);
        return half + ThreadLocalRandom.current().nextInt(half);
    }

    private int countEphemerals() {
        int n = 0;
        for (Set<String> s : tree.ephemerals().values()) n += s.size();
        return n;
    }

    private void replyWrite(ClientConnection conn, PendingRequest p, OpResult result) {
        switch (result) {
            case OpResult.Error e -> reply(conn, p, e.err());
            case OpResult.Created c -> reply(conn, p, 0, DataTree.isCreate2Like(c.opcode())
                    ? new Create2Response(c.path(), c.stat()) : new CreateResponse(c.path()));
            case OpResult.DataSet d -> reply(conn, p, 0, new SetDataResponse(d.stat()));
            case OpResult.AclSet a -> reply(conn, p, 0, new SetACLResponse(a.stat()));
            case OpResult.Multi m -> reply(conn, p, 0, new RawRecord(encodeMulti(m)));
            default -> reply(conn, p, 0); // delete, check, closeSession
        }
    }

    private static byte[] encodeMulti(OpResult.Multi m) {
        var bytes = new ByteArrayOutputStream();
        var out = new BinaryOutputArchive(new DataOutputStream(bytes));
        try {
            for (OpResult r : m.results()) {
                switch (r) {
                    case OpResult.Created c -> {
                        boolean two = DataTree.isCreate2Like(c.opcode());
                        new MultiHeader(two ? Ops.CREATE2 : Ops.CREATE, false, 0).serialize(out, "h");
                        if (two) new Create2Response(c.path(), c.stat()).serialize(out, "r");
                        else new CreateResponse(c.path()).serialize(out, "r");
                    }
                    case OpResult.Deleted d -> new MultiHeader(Ops.DELETE, false, 0).serialize(out, "h");
                    case OpResult.DataSet d -> {
                        new MultiHeader(Ops.SET_DATA, false, 0).serialize(out, "h");
                        new SetDataResponse(d.stat()).serialize(out, "r");
                    }
                    case OpResult.Checked c -> new MultiHeader(Ops.CHECK, false, 0).serialize(out, "h");
                    case OpResult.Error e -> writeMultiError(out, e.err());
                    default -> writeMultiError(out, KeeperError.SYSTEM_ERROR);
                }
            }
            new MultiHeader(-1, true, -1).serialize(out, "h");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Pre-encoded bytes written as they are. */
    private record RawRecord(byte[] bytes) implements Record {
        @Override
        public void serialize(org.apache.jute.OutputArchive archive, String tag) throws IOException {
            if (archive instanceof BinaryOutputArchive b) {
                // BinaryOutputArchive has no raw write; emit byte by byte through writeByte
                for (byte x : bytes) b.writeByte(x, tag);
            } else {
                throw new IOException("unsupported archive");
            }
        }

        @Override
        public void deserialize(org.apache.jute.InputArchive archive, String tag) {
            throw new UnsupportedOperationException();
        }
    }

    // ---- sessions, containers --------------------------------------------------------------------------------

    private void touch(long sid) {
        SessionInfo s = tree.sessions().get(sid);
        ClientConnection c = sessionConnections.get(sid);
        int timeout = c != null && c.timeoutMs > 0 ? c.timeoutMs : s != null ? s.timeoutMs() : 0;
        if (timeout > 0 && sessionDeadlines.containsKey(sid)) sessionDeadlines.put(sid, System.currentTimeMillis() + timeout);
    }

    private void touch(long sid, int timeout) {
        sessionDeadlines.put(sid, System.currentTimeMillis() + timeout);
    }

    private void tick() {
        if (!sessionAuthority || !serving || writePath == null) return;
        long now = System.currentTimeMillis();
        for (var e : List.copyOf(sessionDeadlines.entrySet())) {
            long sid = e.getKey();
            if (e.getValue() > now || closingSessions.contains(sid)) continue;
            if (!tree.sessions().containsKey(sid)) continue; // its createSession is not applied yet
            log.info("session 0x{} expired", Long.toHexString(sid));
            closingSessions.add(sid);
            try {
                writePath.write(new ClientRequest(sid, 0, Ops.CLOSE_SESSION, new byte[0], List.of()));
            } catch (IOException ex) {
                log.error("cannot expire session 0x{}", Long.toHexString(sid), ex);
            }
        }
        if (now >= nextContainerCheck && writePath instanceof LocalWritePath local) {
            nextContainerCheck = now + config.containerCheckIntervalMs();
            for (String path : tree.containerAndTtlPaths()) {
                Node n = tree.get(path);
                if (!n.children().isEmpty()) continue;
                boolean expired = n.isContainer() ? n.internalCversion() > 0 : now - n.mtime() > n.ttl();
                if (expired) local.writeInternal(0, new TxnBody.DeleteTxn(path, n.isContainer() ? Ops.DELETE_CONTAINER : Ops.DELETE));
            }
        }
    }

    // ---- four-letter words ----------------------------------------------------------------------------------

    String fourLetterWord(String cmd) {
        return FourLetterWords.answer(cmd, this);
    }

    static String opName(int op) {
        return switch (op) {
            case Ops.CREATE -> "CREA"; case Ops.CREATE2 -> "CREA"; case Ops.DELETE -> "DELE"; case Ops.EXISTS -> "EXIS";
            case Ops.GET_DATA -> "GETD"; case Ops.SET_DATA -> "SETD"; case Ops.GET_ACL -> "GETA"; case Ops.SET_ACL -> "SETA";
            case Ops.GET_CHILDREN -> "GETC"; case Ops.GET_CHILDREN2 -> "GETC"; case Ops.SYNC -> "SYNC"; case Ops.PING -> "PING";
            case Ops.MULTI -> "MULT"; case Ops.CLOSE_SESSION -> "CLOS"; case Ops.SET_WATCHES -> "SETW"; case Ops.CHECK -> "CHEC";
            default -> "OTHR";
        };
    }

    @Override
    public void close() {
        stopped = true;
        for (ClientConnection c : List.copyOf(connections)) c.close(null);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
