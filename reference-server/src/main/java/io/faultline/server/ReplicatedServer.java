package io.faultline.server;

import io.faultline.server.tree.DataTree;
import io.faultline.server.zab.net.QuorumConfig;
import io.faultline.server.zab.net.ZabReplication;
import io.faultline.server.zab.net.ZabStorage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a ZAB ensemble (zoo.cfg lists server.N lines): the standalone server's core and client listener,
 * with ZAB ({@link ZabReplication}) as commit stage, replication and serving hook instead of the local txn log.
 * Owned by the ZAB work (issue 5); it lives in this package because client connections are package-private.
 */
public final class ReplicatedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedServer.class);

    private final ServerConfig config;
    private final ServerCore core;
    private final ZabReplication zab;
    private final ClientListener listener;
    private volatile boolean closed;

    private ReplicatedServer(ServerConfig config) throws IOException {
        this.config = config;
        QuorumConfig qc = QuorumConfig.from(config);
        // ZAB's durable history is the source of truth: the tree starts from its snapshot and ZAB applies the rest.
        ZabStorage storage = new ZabStorage(qc.zabDataDir());
        ZabStorage.Loaded loaded;
        try {
            loaded = storage.load();
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw new IOException("cannot recover server " + qc.myId() + " from " + qc.zabDataDir() + ": "
                    + e.getMessage(), e);
        }
        DataTree tree = loaded.snapshot() == null ? new DataTree() : DataTree.deserializeSnapshot(loaded.snapshot());
        log.info("server {} recovered: snapshot at 0x{}, {} log entries after it, epochs {}/{}", qc.myId(),
                Long.toHexString(loaded.state().snapshotZxid()), loaded.state().log().size(),
                loaded.state().currentEpoch(), loaded.state().acceptedEpoch());
        this.core = new ServerCore(config, tree);
        this.zab = new ZabReplication(qc, core, storage, loaded.state());
        core.start();
        ClientListener bound = null;
        try {
            bound = new ClientListener(config, core);
            zab.start();
        } catch (IOException e) {
            core.close();
            zab.close();
            if (bound != null) bound.close();
            throw new IOException("cannot start server " + qc.myId() + ": " + e.getMessage(), e);
        }
        this.listener = bound;
        listener.startAccepting();
        Thread.ofPlatform().daemon().name("zab-session-touch").start(this::touchLoop);
        log.info("server {} of {} voters/{} observers, clients on {}:{}, dataDir {}", qc.myId(),
                qc.zabConfig().voters().size(), qc.zabConfig().observers().size(), config.clientPortAddress(),
                listener.port(), config.dataDir());
    }

    public static ReplicatedServer start(ServerConfig config) throws IOException {
        return new ReplicatedServer(config);
    }

    public int port() { return listener.port(); }
    public ServerCore core() { return core; }
    public ZabReplication zab() { return zab; }

    /** Learners report their live sessions to the leader every half tick, as ZooKeeper's PING replies do. */
    private void touchLoop() {
        while (!closed) {
            try {
                Thread.sleep(Math.max(10, config.tickTime() / 2));
            } catch (InterruptedException e) {
                return;
            }
            core.enqueue(() -> {
                long[] sids = core.connections().stream().filter(c -> c.sessionId != 0 && !c.isClosed())
                        .mapToLong(c -> c.sessionId).distinct().toArray();
                zab.localSessionsAlive(sids);
            });
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        listener.close();
        zab.close();
        core.close();
    }
}
