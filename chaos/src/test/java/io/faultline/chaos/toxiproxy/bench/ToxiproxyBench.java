package io.faultline.chaos.toxiproxy.bench;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * Throughput and added round-trip latency of a loopback TCP connection through the embedded
 * Toxiproxy (no toxics) against the same connection made directly.
 *
 * <p>Run (under the build lock): {@code java -cp <test classpath> io.faultline.chaos.toxiproxy.bench.ToxiproxyBench [MB] [pings]}
 */
public final class ToxiproxyBench {
    static final String HOST = "127.0.2.40";

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int pings = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        try (ServerSocket sink = server(ToxiproxyBench::sink); ServerSocket echo = server(ToxiproxyBench::echo);
             ToxiproxyServer toxiproxy = ToxiproxyServer.start(HOST, 0, 1)) {
            ToxiproxyClient client = new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort());
            Proxy sinkProxy = client.createProxy("sink", HOST + ":0", HOST + ":" + sink.getLocalPort());
            Proxy echoProxy = client.createProxy("echo", HOST + ":0", HOST + ":" + echo.getLocalPort());
            InetSocketAddress directSink = new InetSocketAddress(HOST, sink.getLocalPort());
            InetSocketAddress proxiedSink = address(sinkProxy);
            InetSocketAddress directEcho = new InetSocketAddress(HOST, echo.getLocalPort());
            InetSocketAddress proxiedEcho = address(echoProxy);

            // warm-up of both paths (JIT, TCP autotuning)
            throughput(directSink, 64);
            throughput(proxiedSink, 64);
            pingPong(directEcho, 2_000);
            pingPong(proxiedEcho, 2_000);

            double[] direct = new double[3];
            double[] proxied = new double[3];
            for (int i = 0; i < 3; i++) {
                direct[i] = throughput(directSink, megabytes);
                proxied[i] = throughput(proxiedSink, megabytes);
            }
            long[] directRtt = pingPong(directEcho, pings);
            long[] proxiedRtt = pingPong(proxiedEcho, pings);

            System.out.printf("java %s, %d CPUs, %d MB per throughput run (median of 3), %d 64-byte round trips%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), megabytes, pings);
            System.out.println("| path | throughput MB/s | RTT p50 µs | RTT p99 µs |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| direct loopback | %.0f | %.0f | %.0f |%n", median(direct),
                    pct(directRtt, 50) / 1e3, pct(directRtt, 99) / 1e3);
            System.out.printf("| through embedded Toxiproxy | %.0f | %.0f | %.0f |%n", median(proxied),
                    pct(proxiedRtt, 50) / 1e3, pct(proxiedRtt, 99) / 1e3);
            System.out.printf("added RTT: p50 +%.0f µs, p99 +%.0f µs; throughput ratio %.2f%n",
                    (pct(proxiedRtt, 50) - pct(directRtt, 50)) / 1e3, (pct(proxiedRtt, 99) - pct(directRtt, 99)) / 1e3,
                    median(proxied) / median(direct));
        }
    }

    interface Handler {
        void handle(Socket s) throws IOException;
    }

    static ServerSocket server(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.setTcpNoDelay(true);
                            handler.handle(s);
                        } catch (IOException ignored) {
                            // connection ended
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /** Reads an 8-byte length, then that many bytes, then answers one byte. */
    static void sink(Socket s) throws IOException {
        var in = new java.io.DataInputStream(s.getInputStream());
        long remaining = in.readLong();
        byte[] buf = new byte[64 * 1024];
        while (remaining > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) throw new IOException("short");
            remaining -= n;
        }
        s.getOutputStream().write(1);
    }

    static void echo(Socket s) throws IOException {
        s.getInputStream().transferTo(s.getOutputStream());
    }

    static InetSocketAddress address(Proxy p) {
        String listen = p.getListen();
        int colon = listen.lastIndexOf(':');
        return new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
    }

    /** MB/s (1 MB = 10^6 bytes) for sending {@code megabytes} MiB and getting the sink's ack. */
    static double throughput(InetSocketAddress to, int megabytes) throws IOException {
        long bytes = megabytes * 1024L * 1024L;
        byte[] block = new byte[64 * 1024];
        try (Socket s = new Socket()) {
            s.connect(to);
            var out = new java.io.DataOutputStream(s.getOutputStream());
            long start = System.nanoTime();
            out.writeLong(bytes);
            for (long sent = 0; sent < bytes; sent += block.length) out.write(block);
            out.flush();
            if (s.getInputStream().read() != 1) throw new IOException("no ack");
            return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Round-trip times in ns of 64-byte messages, one outstanding at a time. */
    static long[] pingPong(InetSocketAddress to, int count) throws IOException {
        long[] rtts = new long[count];
        byte[] message = new byte[64];
        try (Socket s = new Socket()) {
            s.connect(to);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(message);
                if (in.readNBytes(message.length).length != message.length) throw new IOException("short echo");
                rtts[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(rtts);
        return rtts;
    }

    static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
