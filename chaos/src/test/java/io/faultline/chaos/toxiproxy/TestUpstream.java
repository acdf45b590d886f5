package io.faultline.chaos.toxiproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A real TCP server on a test loopback address that runs a handler per accepted connection. */
final class TestUpstream implements AutoCloseable {
    interface Handler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TestUpstream(ServerSocket server, Handler handler) {
        this.server = server;
        Thread.ofVirtual().start(() -> {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.setTcpNoDelay(true);
                        handler.handle(s);
                    } catch (IOException | InterruptedException ignored) {
                        // the test decides what counts; a dropped connection is normal here
                    } finally {
                        sockets.remove(s);
                    }
                });
            }
        });
    }

    static TestUpstream start(String host, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        return new TestUpstream(server, handler);
    }

    /** Echoes every byte back. */
    static TestUpstream echo(String host) throws IOException {
        return start(host, s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
