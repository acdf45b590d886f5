package io.faultline.chaos.toxiproxy;

import java.io.IOException;
import java.net.Socket;
import java.util.SplittableRandom;

/** One proxied client: the accepted socket, the dialled upstream socket and a link per direction. */
final class Connection {
    final ProxyInstance proxy;
    final Socket client;
    final Socket upstream;
    final Link upLink;
    final Link downLink;
    private volatile boolean closed;
    private int linksEnded;

    Connection(ProxyInstance proxy, Socket client, Socket upstream, SplittableRandom random, boolean abortiveClose)
            throws IOException {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        if (abortiveClose) {
            // a reset_peer toxic present at accept makes every later close of this connection an RST
            client.setSoLinger(true, 0);
            upstream.setSoLinger(true, 0);
        }
        this.upLink = new Link(this, Direction.UPSTREAM, client, upstream, random.split());
        this.downLink = new Link(this, Direction.DOWNSTREAM, upstream, client, random.split());
    }

    void start() {
        upLink.start();
        downLink.start();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both sockets at once (disable, delete, timeout-toxic removal, server close). */
    void close() {
        if (closed) return;
        closed = true;
        closeQuietly(client);
        closeQuietly(upstream);
        upLink.wake();
        downLink.wake();
        proxy.unregister(this);
    }

    /** Toxic chain changed: wake both links so waits re-evaluate at once. */
    void chainChanged() {
        upLink.wake();
        downLink.wake();
    }

    synchronized void linkEnded() {
        if (++linksEnded == 2) {
            closed = true;
            proxy.unregister(this);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort; the peer sees EOF or RST either way
        }
    }
}
