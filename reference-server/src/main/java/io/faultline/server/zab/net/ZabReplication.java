package io.faultline.server.zab.net;

import io.faultline.server.ClientRequest;
import io.faultline.server.ServerCore;
import io.faultline.server.TxnCommitter;
import io.faultline.server.WritePath;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ServerState;
import io.faultline.server.zab.Zxid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.faultline.server.zab.ZabPeer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.zookeeper.data.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a {@link ZabNode} into the standalone server's seams ({@code docs/reference-server-design.md}):
 * the leader's commit stage is ZAB ({@link TxnCommitter}: propose, quorum ACK, commit), every server applies
 * committed transactions through {@link ServerCore#deliverCommitted}, learners forward writes to the leader, and
 * a server serves clients only while it is in a synced quorum ({@link ServerCore#setServing}). On learners a client's
 * sync() goes through the leader ({@link ServerCore.SyncBarrier}, {@link ZabNode#sync}).
 *
 * <p>The ServerCore must start from the state of the durable snapshot {@link ZabStorage#load()} returned (an empty
 * tree if none): ZAB applies the log after it. Every ~snapCount transactions the core serializes its tree; the
 * snapshot is written off the core and ZAB threads and then adopted as the recovery point, which lets the log be
 * compacted. A learner too far behind gets the leader's tree by SNAP.
 */
public final class ZabReplication implements ZabNode.Application, TxnCommitter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabReplication.class);

    private final ServerCore core;
    private final ZabNode node;
    private final WritePath forwarding;
    private final WritePath refusing;
    /** Learner syncs waiting for the leader's answer, by sync id (put on the core thread, completed on ZAB's). */
    private final Map<Long, PendingSync> syncs = new ConcurrentHashMap<>();
    private final AtomicLong nextSyncId = new AtomicLong();
    /** Zxid of the last committed entry handed towards the core (ZAB thread). */
    private long lastDeliveredZxid;
    private final ServerCore.SyncBarrier syncThroughLeader = this::syncThroughLeader;

    /**
     * TEST HOOK, off unless set: {@value #APPLY_DELAY_PROPERTY}=N makes this server hand each committed transaction to
     * the core N ms late while it is not the leader (a follower/observer whose apply lags), in commit order, so
     * tests can show what sync() is for. Never set in production.
     */
    public static final String APPLY_DELAY_PROPERTY = "faultline.server.test.learnerApplyDelayMs";
    private final long applyDelayNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong(APPLY_DELAY_PROPERTY, 0));
    private final LinkedBlockingQueue<DelayedApply> delayedApplies = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private Thread delayedApplyThread;

    private record PendingSync(LongConsumer caughtUp, Runnable failed) {}

    private record DelayedApply(long dueNanos, Runnable step) {}

    private final ZabStorage storage;
    private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "zab-snapshot-writer");
        t.setDaemon(true);
        return t;
    });

    /** storage and durable: the opened storage and what its {@link ZabStorage#load()} returned. */
    public ZabReplication(QuorumConfig qc, ServerCore core, ZabStorage storage, ZabPeer.DurableState durable)
            throws IOException {
        this.core = core;
        this.storage = storage;
        this.node = new ZabNode(qc, storage, durable, this);
        this.forwarding = request -> node.forward(encodeRequest(request), ok -> {
            if (!ok) {
                log.debug("could not forward a write of session 0x{}: not following a leader",
                        Long.toHexString(request.sessionId()));
            }
        });
        this.refusing = request -> log.debug("not serving: dropping a write of session 0x{}",
                Long.toHexString(request.sessionId()));
        core.initWritePath(refusing);
        core.setSyncBarrier(syncThroughLeader);
        core.setSessionAuthority(false);
        core.setServing(false, "looking");
        core.setSnapshotter(this::snapshotTaken);
        if (applyDelayNanos > 0) {
            log.warn("test hook {}: committed transactions are applied {} ms late on this server while not leading",
                    APPLY_DELAY_PROPERTY, TimeUnit.NANOSECONDS.toMillis(applyDelayNanos));
            delayedApplyThread = Thread.ofPlatform().daemon().name("zab-delayed-apply").start(this::delayedApplyLoop);
        }
    }

    public void start() throws IOException {
        node.start();
    }

    public ZabNode node() {
        return node;
    }

    // ---------------------------------------------------------------- TxnCommitter (leader)

    @Override
    public void submit(Txn txn) {
        node.propose(txn.serialize(), txn.zxid(), ok -> {
            if (!ok) {
                log.warn("txn 0x{} was not proposed (no longer an established leader, or zxid out of step)",
                        Long.toHexString(txn.zxid()));
            }
        });
    }

    // ---------------------------------------------------------------- ZabNode.Application

    @Override
    public void apply(LogEntry entry) {
        lastDeliveredZxid = entry.zxid();
        deliver(Txn.deserialize(entry.data()), node.state() != ServerState.LEADING);
    }

    /** To the core in commit order; through the test hook's delay line when it is on. */
    private void deliver(Txn txn, boolean mayLag) {
        toCore(() -> core.deliverCommitted(txn), mayLag);
    }

    private void toCore(Runnable step, boolean mayLag) {
        if (applyDelayNanos <= 0) {
            step.run();
        } else {
            delayedApplies.add(new DelayedApply(System.nanoTime() + (mayLag ? applyDelayNanos : 0), step));
        }
    }

    @Override
    public void installSnapshot(long zxid, byte[] state) {
        lastDeliveredZxid = zxid;
        toCore(() -> core.resetState(state), false);
    }

    /**
     * The core's tree once it has applied everything handed to it so far (so it is at zxid, or at the marker
     * (epoch, 0) the leader adds right after; neither adds a transaction). Runs on the core thread; the ZAB thread
     * waits for it.
     */
    @Override
    public byte[] snapshot(long zxid) throws IOException {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Runnable attempt = new Runnable() {
            @Override
            public void run() {
                if (core.tree().lastProcessedZxid() >= zxid) {
                    result.complete(core.tree().serializeSnapshot());
                } else {
                    // Only with the test hook's delay line: the core has not been handed everything yet.
                    CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(() -> core.enqueue(this));
                }
            }
        };
        core.enqueue(attempt);
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while serializing the snapshot at 0x" + Long.toHexString(zxid));
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not serialize the snapshot at 0x" + Long.toHexString(zxid), e);
        }
    }

    /** The core serialized its tree (core thread): write it away from the core and ZAB threads, then adopt it. */
    private void snapshotTaken(long zxid, byte[] payload) {
        snapshotWriter.execute(() -> {
            try {
                storage.writeSnapshotFile(zxid, payload);
                node.snapshotWritten(zxid);
            } catch (IOException e) {
                log.error("writing the snapshot at 0x{} failed; the log is kept whole", Long.toHexString(zxid), e);
            }
        });
    }

    private void delayedApplyLoop() {
        while (!closed) {
            try {
                DelayedApply d = delayedApplies.take();
                long wait = d.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                d.step().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * A client sync on a learner (core thread): the leader answers after everything it proposed before has been
     * committed to us (FIFO on our link), so when {@link #syncDone} runs every such commit has been handed to the
     * core; the core answers the client once it has applied up to that point. No leader → the sync fails.
     */
    private void syncThroughLeader(LongConsumer caughtUp, Runnable failed) {
        long id = nextSyncId.incrementAndGet();
        syncs.put(id, new PendingSync(caughtUp, failed));
        node.sync(id, ok -> {
            if (!ok) {
                failSync(id);
            }
        });
    }

    private void failSync(long id) {
        PendingSync s = syncs.remove(id);
        if (s != null) {
            s.failed().run();
        }
    }

    @Override
    public void roleChanged(ServerState state, long leaderId) {
        if (state == ServerState.LOOKING) {
            core.setSessionAuthority(false);
        }
    }

    @Override
    public void servingChanged(boolean serving, ServerState state, long epoch) {
        if (!serving) {
            core.setSessionAuthority(false);
            core.setWritePath(refusing);
            core.setSyncBarrier(syncThroughLeader);
            // The leader we asked is gone: those syncs are never answered as done (the client sees ConnectionLoss).
            List.copyOf(syncs.keySet()).forEach(this::failSync);
            core.setServing(false, state.mode());
            return;
        }
        if (state == ServerState.LEADING) {
            // As in ZooKeeper the leader's zxid becomes (epoch, 0) once established, so the core's next assigned
            // zxid is (epoch, 1): the one ZAB will give the first proposal of the epoch.
            deliver(new Txn(0, 0, Zxid.make(epoch, 0), System.currentTimeMillis(), new TxnBody.ErrorTxn(0)), false);
            core.setWritePath(core.localWritePath(this));
            core.setSyncBarrier(null); // the leader's own barrier: everything it assigned is applied
            core.setSessionAuthority(true);
        } else {
            core.setWritePath(forwarding);
            core.setSyncBarrier(syncThroughLeader);
            core.setSessionAuthority(false);
        }
        core.setServing(true, state.mode());
    }

    @Override
    public void requestForwarded(long from, byte[] request) {
        try {
            core.submitForwarded(decodeRequest(request));
        } catch (IOException e) {
            log.warn("dropping a malformed request forwarded by server {}: {}", from, e.getMessage());
        }
    }

    @Override
    public void syncDone(long syncId) {
        PendingSync s = syncs.remove(syncId);
        if (s != null) {
            s.caughtUp().accept(lastDeliveredZxid);
        }
    }

    @Override
    public void sessionsTouched(long[] sessionIds) {
        for (long sid : sessionIds) {
            core.touchSession(sid);
        }
    }

    /** Sessions with live client connections on this server; relayed to the leader, which runs session expiry. */
    public void localSessionsAlive(long[] sessionIds) {
        if (sessionIds.length > 0) {
            node.touchSessions(sessionIds);
        }
    }

    @Override
    public void close() {
        closed = true;
        node.close();
        snapshotWriter.shutdownNow();
        if (delayedApplyThread != null) {
            delayedApplyThread.interrupt();
        }
    }

    // ---------------------------------------------------------------- forwarded request encoding

    static byte[] encodeRequest(ClientRequest r) {
        var bytes = new ByteArrayOutputStream(32 + r.body().length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeLong(r.sessionId());
            out.writeInt(r.cxid());
            out.writeInt(r.opcode());
            out.writeInt(r.body().length);
            out.write(r.body());
            out.writeInt(r.authInfo().size());
            for (Id id : r.authInfo()) {
                out.writeUTF(id.getScheme());
                out.writeUTF(id.getId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ClientRequest decodeRequest(byte[] data) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            long sid = in.readLong();
            int cxid = in.readInt();
            int op = in.readInt();
            int len = in.readInt();
            if (len < 0 || len > data.length) {
                throw new IOException("bad body length " + len);
            }
            byte[] body = new byte[len];
            in.readFully(body);
            int n = in.readInt();
            if (n < 0 || n > 1000) {
                throw new IOException("bad auth count " + n);
            }
            List<Id> auth = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                auth.add(new Id(in.readUTF(), in.readUTF()));
            }
            return new ClientRequest(sid, cxid, op, body, List.copyOf(auth));
        }
    }
}
