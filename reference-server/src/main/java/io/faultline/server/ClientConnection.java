package io.faultline.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.data.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client TCP connection: a reader virtual thread turning frames into core events and a writer virtual thread
 * draining the outbound queue. Fields marked "core" are touched only by the core thread.
 */
final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final byte[] CLOSE = new byte[0];
    /** A client that stops reading is cut off once this much output is queued for it. */
    static final long MAX_QUEUED_OUTPUT = 64L << 20;
    /** Requests a connection may have in flight before its reader stops reading (back-pressure). */
    private static final int MAX_IN_FLIGHT = 20_000;

    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final Socket socket;
    final InetSocketAddress remote;
    final long established = System.currentTimeMillis();
    private final ServerCore core;
    private final int maxBuffer;
    private final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    // core
    long sessionId;
    int timeoutMs;
    boolean handshakeDone;
    boolean omitReadOnly;
    final List<Id> authInfo = new ArrayList<>();
    final ArrayDeque<PendingRequest> pending = new ArrayDeque<>();

    // statistics (read by 4lw from other threads)
    volatile long packetsReceived, packetsSent, lastCxid, lastZxid, lastResponse, lastLatency;
    volatile String lastOp = "NA";
    volatile long minLatency = Long.MAX_VALUE, maxLatency, totalLatency, latencyCount;

    private final Runnable onClose;

    ClientConnection(Socket socket, ServerCore core, int maxBuffer, Runnable onClose) {
        this.onClose = onClose;
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.core = core;
        this.maxBuffer = maxBuffer;
        authInfo.add(new Id("ip", remote.getAddress().getHostAddress()));
    }

    void start() {
        // platform threads: a blocking socket read on a virtual thread adds a poller hop to every request,
        // which showed as ~50 us of extra latency per synchronous op against ZooKeeper's NIO selector
        Thread.ofPlatform().daemon().stackSize(256 * 1024).name("zk-conn-reader-" + id).start(this::readLoop);
        Thread.ofPlatform().daemon().stackSize(256 * 1024).name("zk-conn-writer-" + id).start(this::writeLoop);
    }

    boolean isClosed() { return closed.get(); }

    /** Called by the core after a reply is queued: frees one slot of back-pressure. */
    void requestDone() { inFlight.release(); }

    private void readLoop() {
        try (var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16))) {
            boolean first = true;
            while (!closed.get()) {
                int len;
                try {
                    len = in.readInt();
                } catch (EOFException e) {
                    close("client closed the connection");
                    return;
                }
                if (first) {
                    String cmd = new String(ByteBuffer.allocate(4).putInt(len).array(), StandardCharsets.ISO_8859_1);
                    if (FourLetterWords.isKnown(cmd)) {
                        core.stats().packetsReceived.incrementAndGet();
                        String answer = core.fourLetterWord(cmd);
                        OutputStream out = socket.getOutputStream();
                        out.write(answer.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        close(null);
                        return;
                    }
                }
                if (len < 0 || len > maxBuffer) {
                    close("frame length " + len + " is outside 0.." + maxBuffer + " (jute.maxbuffer)");
                    return;
                }
                byte[] frame = in.readNBytes(len);
                if (frame.length < len) {
                    close("frame cut short (" + frame.length + " of " + len + " bytes)");
                    return;
                }
                packetsReceived++;
                core.stats().packetsReceived.incrementAndGet();
                long received = System.nanoTime();
                if (first) {
                    first = false;
                    ConnectFrame connect = ConnectFrame.parse(frame);
                    if (connect == null) {
                        close("malformed connect request (" + len + " bytes)");
                        return;
                    }
                    inFlight.acquire();
                    core.enqueue(() -> core.onConnect(this, connect));
                    continue;
                }
                if (len < 8) {
                    close("request shorter than a request header (" + len + " bytes)");
                    return;
                }
                ByteBuffer b = ByteBuffer.wrap(frame);
                int xid = b.getInt();
                int type = b.getInt();
                byte[] body = java.util.Arrays.copyOfRange(frame, 8, frame.length);
                inFlight.acquire();
                core.enqueue(() -> core.onRequest(this, xid, type, body, received));
            }
        } catch (IOException e) {
            close("read failed: " + e.getMessage());
        } catch (InterruptedException e) {
            close("interrupted");
        }
    }

    /** Queues a frame (payload without the length prefix). */
    void send(byte[] payload) {
        if (closed.get()) return;
        long q = queuedBytes.addAndGet(payload.length + 4);
        if (q > MAX_QUEUED_OUTPUT) {
            close("client is not reading: " + q + " bytes queued");
            return;
        }
        outbound.add(payload);
        packetsSent++;
        core.stats().packetsSent.incrementAndGet();
    }

    /** Sends what is queued, then closes. */
    void closeAfterFlush() {
        outbound.add(CLOSE);
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
            while (true) {
                byte[] frame = outbound.take();
                boolean closeNow = false;
                while (frame != null) {
                    if (frame == CLOSE) {
                        closeNow = true;
                        break;
                    }
                    writeFrame(out, frame);
                    frame = outbound.poll();
                }
                out.flush();
                if (closeNow) {
                    close(null);
                    return;
                }
                if (closed.get()) return;
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        } catch (InterruptedException e) {
            close(null);
        }
    }

    private void writeFrame(OutputStream out, byte[] payload) throws IOException {
        int n = payload.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(payload);
        queuedBytes.addAndGet(-(n + 4));
    }

    /** Closes the socket once; a reason is logged (null = normal close). */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) return;
        if (reason != null) log.info("closing connection {} from {} (session 0x{}): {}", id, remote, Long.toHexString(sessionId), reason);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        outbound.add(CLOSE); // wake the writer
        inFlight.release(MAX_IN_FLIGHT); // wake a blocked reader
        onClose.run();
        core.enqueue(() -> core.onConnectionClosed(this));
    }

    void recordLatency(long micros) {
        long ms = micros / 1000;
        lastLatency = ms;
        if (ms < minLatency) minLatency = ms;
        if (ms > maxLatency) maxLatency = ms;
        totalLatency += ms;
        latencyCount++;
        lastResponse = System.currentTimeMillis();
    }

    /** A request waiting in this connection's FIFO. */
    static final class PendingRequest {
        final int xid, opcode;
        final byte[] body;
        final long receivedNanos;
        /** write: waits for its txn to apply; sync: waits until applied zxid >= barrier; connect: session creation. */
        final Kind kind;
        long barrierZxid;

        enum Kind { READ, WRITE, SYNC, CONNECT }

        PendingRequest(int xid, int opcode, byte[] body, long receivedNanos, Kind kind) {
            this.xid = xid;
            this.opcode = opcode;
            this.body = body;
            this.receivedNanos = receivedNanos;
            this.kind = kind;
        }
    }

    /** The ConnectRequest, parsed by hand because the trailing readOnly byte is optional. */
    record ConnectFrame(int protocolVersion, long lastZxidSeen, int timeout, long sessionId, byte[] passwd,
                        boolean readOnly, boolean hasReadOnly) {
        static ConnectFrame parse(byte[] f) {
            ByteBuffer b = ByteBuffer.wrap(f);
            try {
                int pv = b.getInt();
                long zxid = b.getLong();
                int to = b.getInt();
                long sid = b.getLong();
                int n = b.getInt();
                if (n < -1 || n > b.remaining()) return null;
                byte[] pw = new byte[Math.max(n, 0)];
                b.get(pw);
                boolean has = b.hasRemaining();
                boolean ro = has && b.get() != 0;
                return new ConnectFrame(pv, zxid, to, sid, pw, ro, has);
            } catch (java.nio.BufferUnderflowException e) {
                return null;
            }
        }
    }
}
