package io.faultline.server;

import io.faultline.server.tree.DataTree;
import io.faultline.server.zab.net.QuorumConfig;
import io.faultline.server.zab.net.ZabReplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ServerSocket listener;
    private final Map<InetAddress, AtomicInteger> perHost = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ReplicatedServer(ServerConfig config) throws IOException {
        this.config = config;
        QuorumConfig qc = QuorumConfig.from(config);
        // ZAB's own history is the source of truth: the tree is rebuilt from it, so it starts empty.
        this.core = new ServerCore(config, new DataTree());
        this.zab = new ZabReplication(qc, core);
        core.start();
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.clientPortAddress()), config.clientPort()), 1024);
            zab.start();
        } catch (IOException e) {
            core.close();
            zab.close();
            listener.close();
            throw new IOException("cannot start server " + qc.myId() + ": " + e.getMessage(), e);
        }
        Thread.ofPlatform().daemon().name("zk-acceptor").start(this::acceptLoop);
        Thread.ofPlatform().daemon().name("zab-session-touch").start(this::touchLoop);
        log.info("server {} of {} voters/{} observers, clients on {}:{}, dataDir {}", qc.myId(),
                qc.zabConfig().voters().size(), qc.zabConfig().observers().size(), config.clientPortAddress(),
                listener.getLocalPort(), config.dataDir());
    }

    public static ReplicatedServer start(ServerConfig config) throws IOException {
        return new ReplicatedServer(config);
    }

    public int port() { return listener.getLocalPort(); }
    public ServerCore core() { return core; }
    public ZabReplication zab() { return zab; }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) log.error("accept failed", e);
                return;
            }
            try {
                s.setTcpNoDelay(true);
                InetAddress addr = s.getInetAddress();
                AtomicInteger count = perHost.computeIfAbsent(addr, a -> new AtomicInteger());
                if (config.maxClientCnxns() > 0 && count.get() >= config.maxClientCnxns()) {
                    log.warn("Too many connections from {} - max is {}", addr, config.maxClientCnxns());
                    s.close();
                    continue;
                }
                count.incrementAndGet();
                core.accept(new ClientConnection(s, core, config.juteMaxBuffer(), count::decrementAndGet));
            } catch (IOException e) {
                log.warn("setting up connection failed: {}", e.getMessage());
            }
        }
    }

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
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        zab.close();
        core.close();
    }
}
