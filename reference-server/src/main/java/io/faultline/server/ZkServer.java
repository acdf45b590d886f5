package io.faultline.server;

import io.faultline.server.persist.SnapshotStore;
import io.faultline.server.persist.TxnLog;
import io.faultline.server.tree.DataTree;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A standalone server: recovery, core, standalone commit stage, snapshots and the client listener. */
public final class ZkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkServer.class);

    private final ServerConfig config;
    private final ServerCore core;
    private final StandaloneCommitter committer;
    private final ClientListener listener;
    private final ExecutorService snapshotWriter;
    private final TxnLog.Recovery recovery;
    private volatile boolean closed;

    private ZkServer(ServerConfig config) throws IOException {
        this.config = config;
        var snapshots = new SnapshotStore(config.dataDir());
        DataTree tree = snapshots.loadNewest();
        long snapZxid = tree.lastProcessedZxid();
        this.recovery = TxnLog.replay(config.dataLogDir(), snapZxid, tree::apply);
        log.info("recovered to zxid 0x{} (snapshot 0x{}, {} log records replayed{})", Long.toHexString(tree.lastProcessedZxid()),
                Long.toHexString(snapZxid), recovery.records(),
                recovery.truncatedBytes() > 0 ? ", torn tail truncated: " + recovery.truncatedBytes() + " bytes" : "");
        this.core = new ServerCore(config, tree);
        this.committer = new StandaloneCommitter(new TxnLog(config.dataLogDir()), core::deliverCommitted, this::fatal);
        core.initWritePath(core.localWritePath(committer));
        this.snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-writer");
            t.setDaemon(true);
            return t;
        });
        core.setSnapshotter((zxid, payload) -> snapshotWriter.execute(() -> {
            try {
                snapshots.write(zxid, payload);
                long oldest = snapshots.oldestKeptZxid();
                if (oldest >= 0 && snapshots.snapshots().size() >= 3) TxnLog.purgeBefore(config.dataLogDir().resolve("version-2"), oldest);
            } catch (IOException e) {
                log.error("snapshot at 0x{} failed", Long.toHexString(zxid), e);
            }
        }));
        core.start();
        try {
            this.listener = new ClientListener(config, core);
        } catch (IOException e) {
            core.close();
            committer.close();
            throw e;
        }
        listener.startAccepting();
        log.info("serving on {}:{} (standalone, dataDir {}, dataLogDir {})", config.clientPortAddress(), listener.port(),
                config.dataDir(), config.dataLogDir());
    }

    public static ZkServer start(ServerConfig config) throws IOException {
        return new ZkServer(config);
    }

    public int port() { return listener.port(); }
    public ServerCore core() { return core; }
    public TxnLog.Recovery recovery() { return recovery; }

    private void fatal() {
        log.error("fatal storage error: stopping the server so that no unlogged write is acknowledged");
        Thread.ofPlatform().start(() -> {
            close();
            if (Boolean.getBoolean("faultline.server.exitOnFatal")) System.exit(3);
        });
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        listener.close();
        core.close();
        committer.close();
        snapshotWriter.shutdown();
        try {
            snapshotWriter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("server on port {} stopped", listener.port());
    }
}
