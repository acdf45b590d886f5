package io.faultline.server;

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

/** The client port: binds clientPortAddress:clientPort, accepts connections (maxClientCnxns per host) into a core. */
final class ClientListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientListener.class);

    private final ServerConfig config;
    private final ServerCore core;
    private final ServerSocket socket = new ServerSocket();
    private final Map<InetAddress, AtomicInteger> perHost = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Binds now (so a taken port fails start-up); accepting begins with {@link #startAccepting()}. */
    ClientListener(ServerConfig config, ServerCore core) throws IOException {
        this.config = config;
        this.core = core;
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.clientPortAddress()), config.clientPort()), 1024);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot bind " + config.clientPortAddress() + ":" + config.clientPort() + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    void startAccepting() {
        Thread.ofPlatform().daemon().name("zk-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
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

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
