package io.faultline.server.zab.net;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ServerState;
import io.faultline.server.zab.ZabAction;
import io.faultline.server.zab.ZabConfig;
import io.faultline.server.zab.ZabMessage;
import io.faultline.server.zab.ZabPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networked ZAB peer: drives a {@link ZabPeer} from one thread with TCP connections (election port and
 * quorum port), durable state ({@link ZabStorage}) and a clock (a core tick every
 * {@link QuorumConfig#CORE_TICK_MS} ms). Appends of one batch of events share one fsync (group commit).
 */
public final class ZabNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabNode.class);

    /** What the replicated application sees. Called on the ZAB thread, in order. */
    public interface Application {
        /** A committed transaction, in zxid order. */
        void apply(LogEntry entry);

        /**
         * SNAP from the leader (already durable): replace the application's state with this snapshot, which holds
         * every transaction up to zxid; later {@link #apply} calls continue from there.
         */
        void installSnapshot(long zxid, byte[] state);

        /**
         * We lead and a learner needs a SNAP: the application's state after every transaction up to zxid, i.e. after
         * every {@link #apply} so far. May block briefly (the state is serialized where it lives).
         */
        byte[] snapshot(long zxid) throws IOException;

        void roleChanged(ServerState state, long leaderId);

        /** Serving starts (the leader: its epoch is established; learners: UPTODATE) or stops. */
        void servingChanged(boolean serving, ServerState state, long epoch);

        /** A learner forwarded a client write to us (we lead). */
        void requestForwarded(long from, byte[] request);

        void syncDone(long syncId);

        /** We lead: a learner reports these client sessions alive. */
        void sessionsTouched(long[] sessionIds);
    }

    private final QuorumConfig qc;
    private final ZabPeer peer;
    private final ZabStorage storage;
    private final Application app;
    private final PeerTransport election;
    private final PeerTransport quorum;
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Map<Long, PeerTransport.Conn> electionConns = new HashMap<>();
    private final Map<Long, PeerTransport.Conn> quorumConns = new HashMap<>();
    private final Map<Long, List<ZabMessage>> quorumBacklog = new HashMap<>();
    private final Thread thread;
    private long lastSeqAppended = -1;
    private volatile boolean stopped;
    private volatile ServerState state = ServerState.LOOKING;
    private volatile boolean serving;
    private volatile long leaderId = -1;
    private volatile long epoch;
    private ServerState servedAs = ServerState.LOOKING;
    /**
     * While this server serves as a learner: its link to the leader. Client writes and syncs go onto it straight from
     * the core thread (ZabPeer.forward/sync would send just that message), saving a hand-off to the ZAB thread per
     * forwarded request. Both take this path while it is set, so a sync never overtakes an earlier write.
     */
    private volatile PeerTransport.Conn leaderLink;
    private volatile long lastZxid;

    /** durable: what {@link ZabStorage#load()} returned (the application already holds its snapshot's state). */
    public ZabNode(QuorumConfig qc, ZabStorage storage, ZabPeer.DurableState durable, Application app) throws IOException {
        this.qc = qc;
        this.storage = storage;
        this.app = app;
        ZabConfig cfg = qc.zabConfig();
        this.peer = new ZabPeer(cfg, durable);
        this.lastZxid = peer.lastLoggedZxid();
        Map<Long, InetSocketAddress> electionPeers = new HashMap<>();
        Map<Long, InetSocketAddress> quorumPeers = new HashMap<>();
        for (QuorumConfig.Member m : qc.members().values()) {
            if (m.id() != qc.myId()) {
                electionPeers.put(m.id(), m.electionAddress());
                quorumPeers.put(m.id(), m.quorumAddress());
            }
        }
        QuorumConfig.Member me = qc.members().get(qc.myId());
        this.election = new PeerTransport("election", qc.myId(), electionPeers, me.electionAddress(), listener(true));
        this.quorum = new PeerTransport("quorum", qc.myId(), quorumPeers, me.quorumAddress(), listener(false));
        this.thread = new Thread(this::run, "zab-peer-" + qc.myId());
        thread.setDaemon(true);
    }

    private PeerTransport.Listener listener(boolean isElection) {
        return new PeerTransport.Listener() {
            @Override
            public void up(long p, PeerTransport.Conn conn) {
                events.add(() -> onUp(isElection, p, conn));
            }

            @Override
            public void lost(long p, PeerTransport.Conn conn) {
                events.add(() -> onLost(isElection, p, conn));
            }

            @Override
            public void message(long p, PeerTransport.Conn conn, ZabMessage m) {
                events.add(() -> {
                    Map<Long, PeerTransport.Conn> conns = isElection ? electionConns : quorumConns;
                    if (conns.get(p) == conn) {
                        execute(peer.receive(p, m));
                    }
                });
            }
        };
    }

    public void start() throws IOException {
        election.start();
        quorum.start();
        thread.start();
        events.add(() -> execute(peer.start()));
        Thread.ofPlatform().daemon().name("zab-tick-" + qc.myId()).start(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(QuorumConfig.CORE_TICK_MS);
                } catch (InterruptedException e) {
                    return;
                }
                events.add(() -> execute(peer.tick()));
            }
        });
    }

    // ---------------------------------------------------------------- thread-safe entry points

    /** Leader: propose txn bytes whose zxid must be expectedZxid; the callback gets false if it could not be. */
    public void propose(byte[] data, long expectedZxid, Consumer<Boolean> accepted) {
        events.add(() -> {
            long next = peer.nextZxid();
            if (next != expectedZxid) {
                accepted.accept(false);
                return;
            }
            long z = peer.propose(data);
            accepted.accept(z == expectedZxid);
            execute(peer.drain());
        });
    }

    /** Learner: forward a client request to the leader. */
    public void forward(byte[] request, Consumer<Boolean> accepted) {
        PeerTransport.Conn link = leaderLink;
        if (link != null && !link.isClosed()) {
            link.send(new ZabMessage.Request(request));
            accepted.accept(true);
            return;
        }
        events.add(() -> {
            boolean ok = peer.forward(request);
            accepted.accept(ok);
            execute(peer.drain());
        });
    }

    /** Learner: renew these sessions at the leader (no-op unless following a leader). */
    public void touchSessions(long[] sessionIds) {
        events.add(() -> {
            peer.touchSessions(sessionIds);
            execute(peer.drain());
        });
    }

    /**
     * The application wrote a snapshot of its (committed) state at zxid with {@link ZabStorage#writeSnapshotFile}:
     * make it the recovery point and compact the log up to the previous one (a lagging learner still gets a DIFF).
     */
    public void snapshotWritten(long zxid) {
        events.add(() -> {
            long previous = storage.snapshotZxid();
            try {
                if (storage.adoptSnapshot(zxid)) {
                    execute(peer.compact(previous));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    public void sync(long syncId, Consumer<Boolean> accepted) {
        PeerTransport.Conn link = leaderLink;
        if (link != null && !link.isClosed()) {
            link.send(new ZabMessage.SyncRequest(syncId));
            accepted.accept(true);
            return;
        }
        events.add(() -> {
            boolean ok = peer.sync(syncId);
            accepted.accept(ok);
            execute(peer.drain());
        });
    }

    public ServerState state() {
        return state;
    }

    public boolean isServing() {
        return serving;
    }

    public long leaderId() {
        return leaderId;
    }

    /** The epoch this server serves in, or last served in (0 before it first served). */
    public long epoch() {
        return epoch;
    }

    public long lastLoggedZxid() {
        return lastZxid;
    }

    // ---------------------------------------------------------------- the ZAB thread

    private void run() {
        List<Runnable> batch = new ArrayList<>();
        while (!stopped) {
            try {
                Runnable first = events.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                events.drainTo(batch, 10_000);
                for (Runnable r : batch) {
                    r.run();
                }
                batch.clear();
                groupCommit();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // A failed disk write must never be acknowledged; a protocol violation must not be served past.
                log.error("ZAB peer {} failed; stopping it", qc.myId(), e);
                fatal();
                return;
            }
        }
    }

    private void groupCommit() throws IOException {
        while (lastSeqAppended >= 0) {
            long seq = lastSeqAppended;
            lastSeqAppended = -1;
            storage.sync();
            execute(peer.logSynced(seq));
        }
    }

    private void onUp(boolean isElection, long p, PeerTransport.Conn conn) {
        Map<Long, PeerTransport.Conn> conns = isElection ? electionConns : quorumConns;
        PeerTransport.Conn old = conns.put(p, conn);
        if (isElection) {
            execute(peer.electionChannelUp(p)); // votes sent while it was down are lost
        } else {
            if (old != null && old != conn) {
                execute(peer.channelDown(p)); // the old session ended before this one began
            }
            List<ZabMessage> backlog = quorumBacklog.remove(p);
            if (backlog != null) {
                backlog.forEach(conn::send);
            }
        }
    }

    private void onLost(boolean isElection, long p, PeerTransport.Conn conn) {
        Map<Long, PeerTransport.Conn> conns = isElection ? electionConns : quorumConns;
        if (conns.get(p) != conn) {
            return;
        }
        conns.remove(p);
        if (conn == leaderLink) {
            leaderLink = null;
        }
        if (!isElection) {
            quorumBacklog.remove(p);
            execute(peer.channelDown(p));
        }
    }

    private void execute(List<ZabAction> actions) {
        try {
            for (ZabAction a : actions) {
                executeOne(a);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        lastZxid = peer.lastLoggedZxid();
    }

    private void executeOne(ZabAction a) throws IOException {
        switch (a) {
            case ZabAction.Send s -> send(s.to(), s.message());
            case ZabAction.CloseChannel c -> {
                PeerTransport.Conn conn = quorumConns.remove(c.peer());
                if (conn != null && conn == leaderLink) {
                    leaderLink = null;
                }
                quorumBacklog.remove(c.peer());
                if (conn != null) {
                    conn.close();
                }
            }
            case ZabAction.AppendLog al -> {
                storage.append(al.entries());
                lastSeqAppended = al.seq();
            }
            case ZabAction.TruncateLog t -> {
                storage.truncate(t.zxid());
                lastSeqAppended = -1;
            }
            case ZabAction.InstallSnapshot is -> {
                storage.installSnapshot(is.zxid(), is.state());
                lastSeqAppended = -1;
                app.installSnapshot(is.zxid(), is.state());
            }
            case ZabAction.SendSnapshot ss -> {
                byte[] state = app.snapshot(ss.zxid());
                log.info("server {} sends a SNAP to server {}: state at 0x{} ({} bytes) and {} entries", qc.myId(),
                        ss.to(), Long.toHexString(ss.zxid()), state.length, ss.entriesAfter().size());
                send(ss.to(), new ZabMessage.Snap(ss.zxid(), state, ss.entriesAfter(), ss.committedZxid()));
            }
            case ZabAction.CompactLog c -> storage.compact(c.zxid());
            case ZabAction.PersistAcceptedEpoch p -> {
                storage.writeAcceptedEpoch(p.epoch());
                lastSeqAppended = -1;
            }
            case ZabAction.PersistCurrentEpoch p -> {
                storage.writeCurrentEpoch(p.epoch());
                lastSeqAppended = -1;
            }
            case ZabAction.Apply ap -> app.apply(ap.entry());
            case ZabAction.RoleChanged rc -> {
                state = rc.state();
                leaderId = rc.leaderId();
                log.info("server {} is now {}{}", qc.myId(), rc.state(),
                        rc.state() == ServerState.LOOKING ? "" : " (leader " + rc.leaderId() + ")");
                app.roleChanged(rc.state(), rc.leaderId());
            }
            case ZabAction.Established e -> log.info("server {} established epoch {} as leader", qc.myId(), e.epoch());
            case ZabAction.ServingChanged sc -> {
                serving = sc.serving();
                if (sc.serving()) {
                    epoch = peer.activeEpoch();
                    servedAs = peer.state();
                    if (servedAs == ServerState.FOLLOWING || servedAs == ServerState.OBSERVING) {
                        leaderLink = quorumConns.get(peer.leaderId());
                    }
                    log.info("server {} starts serving ({} epoch {})", qc.myId(), servedAs, epoch);
                } else {
                    leaderLink = null;
                    // The peer has already left the role it served in (activeEpoch() is 0 while LOOKING; the
                    // persisted currentEpoch is unchanged): report the epoch it served.
                    log.info("server {} stops serving (was {} in epoch {}, now {})", qc.myId(), servedAs, epoch,
                            peer.state());
                }
                app.servingChanged(sc.serving(), peer.state(), epoch);
            }
            case ZabAction.RequestForwarded rf -> app.requestForwarded(rf.from(), rf.data());
            case ZabAction.SyncDone sd -> app.syncDone(sd.syncId());
            case ZabAction.SessionsTouched st -> app.sessionsTouched(st.sessionIds());
        }
    }

    private void send(long to, ZabMessage m) {
        if (m instanceof ZabMessage.Notification) {
            PeerTransport.Conn c = electionConns.get(to);
            if (c != null) {
                c.send(m); // votes are resent: losing one while disconnected is fine
            }
            return;
        }
        PeerTransport.Conn c = quorumConns.get(to);
        if (c != null) {
            c.send(m);
        } else {
            // Not connected yet (the larger id dials): this belongs to the next connection.
            List<ZabMessage> backlog = quorumBacklog.computeIfAbsent(to, k -> new ArrayList<>());
            if (backlog.size() < 100_000) {
                backlog.add(m);
            }
        }
    }

    private void fatal() {
        stopped = true;
        serving = false;
        try {
            app.servingChanged(false, ServerState.LOOKING, 0);
        } catch (RuntimeException ignored) {
            // stopping anyway
        }
        election.close();
        quorum.close();
        if (Boolean.getBoolean("faultline.server.exitOnFatal")) {
            System.exit(3);
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        election.close();
        quorum.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            storage.close();
        } catch (IOException e) {
            log.warn("closing ZAB storage", e);
        }
    }
}
