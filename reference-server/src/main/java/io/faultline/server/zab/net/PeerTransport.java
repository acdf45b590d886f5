package io.faultline.server.zab.net;

import io.faultline.server.zab.ZabMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection per pair of servers on one port (election or quorum). As in ZooKeeper's election
 * connections, only the server with the larger id dials; the smaller one accepts. Handshake: the dialer sends
 * {@code long myId}. Frames: {@code int length, payload} ({@link ZabCodec}). FIFO per connection (TCP); a broken
 * or closed connection is reported once, and the dialer reconnects.
 */
final class PeerTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);
    private static final byte[] POISON = new byte[0];

    interface Listener {
        void up(long peer, Conn conn);

        void lost(long peer, Conn conn);

        void message(long peer, Conn conn, ZabMessage message);
    }

    /** One live connection. */
    final class Conn {
        final long peer;
        final Socket socket;
        final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        Conn(long peer, Socket socket) {
            this.peer = peer;
            this.socket = socket;
        }

        void send(ZabMessage m) {
            if (!closed) {
                outbound.add(ZabCodec.encode(m));
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            outbound.add(POISON);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            live.remove(peer, this);
            listener.lost(peer, this);
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public String toString() {
            return name + " connection to server " + peer;
        }
    }

    private final String name;
    private final long myId;
    private final Map<Long, InetSocketAddress> peers;
    private final InetSocketAddress bindAddress;
    private final Listener listener;
    private final Map<Long, Conn> live = new ConcurrentHashMap<>();
    private ServerSocket server;
    private volatile boolean stopped;

    PeerTransport(String name, long myId, Map<Long, InetSocketAddress> peers, InetSocketAddress bindAddress,
            Listener listener) {
        this.name = name;
        this.myId = myId;
        this.peers = Map.copyOf(peers);
        this.bindAddress = bindAddress;
        this.listener = listener;
    }

    void start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bindAddress, 64);
        Thread.ofPlatform().daemon().name(name + "-acceptor").start(this::acceptLoop);
        Thread.ofPlatform().daemon().name(name + "-dialer").start(this::dialLoop);
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!stopped) {
                    log.warn("{} accept failed: {}", name, e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().start(() -> handshakeIncoming(s));
        }
    }

    private void handshakeIncoming(Socket s) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            long sid = new DataInputStream(s.getInputStream()).readLong();
            s.setSoTimeout(0);
            if (sid <= myId || !peers.containsKey(sid)) {
                log.warn("{}: refusing connection from unknown or smaller server id {}", name, sid);
                s.close();
                return;
            }
            register(sid, s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private void dialLoop() {
        while (!stopped) {
            for (var e : peers.entrySet()) {
                long peer = e.getKey();
                if (peer >= myId || live.containsKey(peer) || stopped) {
                    continue;
                }
                Socket s = new Socket();
                try {
                    s.setTcpNoDelay(true);
                    s.connect(e.getValue(), 500);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeLong(myId);
                    out.flush();
                    register(peer, s);
                } catch (IOException ex) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing listening yet
                    }
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void register(long peer, Socket s) {
        Conn c = new Conn(peer, s);
        Conn old = live.put(peer, c);
        if (old != null) {
            old.close();
        }
        listener.up(peer, c);
        // Platform threads: a blocking socket read on a virtual thread waits for the JDK's poller to unpark it and
        // then for a free carrier, a hop that showed as ~30-80 us per message (and ms in the tail on a busy
        // machine); a forwarded write crosses four peer messages.
        Thread.ofPlatform().daemon().stackSize(256 * 1024).name(name + "-reader-" + peer).start(() -> readLoop(c));
        Thread.ofPlatform().daemon().stackSize(256 * 1024).name(name + "-writer-" + peer).start(() -> writeLoop(c));
    }

    private void readLoop(Conn c) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(c.socket.getInputStream(), 1 << 16))) {
            while (!c.isClosed()) {
                int len = in.readInt();
                if (len <= 0 || len > ZabCodec.MAX_FRAME) {
                    throw new IOException("bad frame length " + len);
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                listener.message(c.peer, c, ZabCodec.decode(payload));
            }
        } catch (IOException e) {
            if (!c.isClosed() && !stopped) {
                log.debug("{} lost: {}", c, e.getMessage());
            }
        } finally {
            c.close();
        }
    }

    private void writeLoop(Conn c) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(c.socket.getOutputStream(), 1 << 16))) {
            while (true) {
                byte[] m = c.outbound.take();
                if (m == POISON) {
                    return;
                }
                out.writeInt(m.length);
                out.write(m);
                if (c.outbound.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            c.close();
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Conn c : live.values()) {
            c.close();
        }
    }
}
