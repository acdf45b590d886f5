package io.faultline.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every toxic, both streams, observed the way a client of the proxy observes it: real sockets,
 * measured delays, stalls, resets, closes and byte counts. Timing bounds are one-sided where the
 * machine's load could only make things slower.
 */
class ToxiproxyToxicsIT {
    static final String API_HOST = "127.0.2.1";
    static final String LISTEN_HOST = "127.0.2.4";
    static final String UPSTREAM_HOST = "127.0.2.5";

    ToxiproxyServer server;
    ToxiproxyClient client;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = ToxiproxyServer.start(API_HOST, 0, 7);
        client = new ToxiproxyClient(server.apiHost(), server.apiPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (AutoCloseable c : closeables) c.close();
    }

    Proxy proxyTo(TestUpstream upstream) throws IOException {
        closeables.add(upstream);
        return client.createProxy("p", LISTEN_HOST + ":0", upstream.address());
    }

    Socket connect(Proxy p) throws IOException {
        var hp = Addresses.split(p.getListen());
        Socket s = new Socket();
        s.connect(new InetSocketAddress(hp.host(), hp.port()), 2000);
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        closeables.add(s);
        return s;
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Round trip of one small message through an echo upstream, in ms. */
    static long rttMillis(Socket s, String message) throws IOException {
        long start = System.nanoTime();
        s.getOutputStream().write(message.getBytes());
        byte[] got = s.getInputStream().readNBytes(message.length());
        assertEquals(message, new String(got));
        return millisSince(start);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ latency

    @Test
    void latencyInBothStreamsAddsUpAndAppliesToLiveConnections() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Socket s = connect(p);
        assertTrue(rttMillis(s, "warm") < 250, "no toxic: fast");
        p.toxics().latency("up", ToxicDirection.UPSTREAM, 100);
        p.toxics().latency("down", ToxicDirection.DOWNSTREAM, 200);
        long rtt = rttMillis(s, "slow");
        assertTrue(rtt >= 300 && rtt < 1300, "rtt " + rtt);
        p.toxics().get("up").remove();
        p.toxics().get("down").remove();
        assertTrue(rttMillis(s, "fast") < 250, "removed: fast again");
    }

    @Test
    void latencyJitterStaysInBoundsAndNeverReorders() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100).setJitter(80);
        Socket s = connect(p);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long rtt = rttMillis(s, "m" + i);
            min = Math.min(min, rtt);
            assertTrue(rtt >= 19 && rtt < 1200, "rtt " + rtt);
        }
        // many messages in flight with jitter still arrive in order
        OutputStream out = s.getOutputStream();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String m = String.format("%03d", i);
            expected.append(m);
            out.write(m.getBytes());
            Thread.sleep(5);
        }
        assertEquals(expected.toString(), new String(s.getInputStream().readNBytes(expected.length())));
    }

    @Test
    void latencyIsMeasuredFromReadTimeSoItDoesNotCapThroughput() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
        Socket s = connect(p);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            s.getOutputStream().write('x');
            Thread.sleep(20);
        }
        s.getInputStream().readNBytes(10);
        long total = millisSince(start);
        // serial delivery would take 10 x 300 ms; pipelined it is about 300 + 200
        assertTrue(total >= 300 && total < 1800, "total " + total);
    }

    @Test
    void removingLatencyFlushesThePendingChunkAtOnce() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Latency lat = p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 60_000);
        Socket s = connect(p);
        long start = System.nanoTime();
        s.getOutputStream().write("held".getBytes());
        Thread.sleep(200);
        lat.remove();
        assertEquals("held", new String(s.getInputStream().readNBytes(4)));
        assertTrue(millisSince(start) < 5_000);
    }

    // ------------------------------------------------------------------ bandwidth

    @Test
    void bandwidthDownstreamThrottlesToTheRateInKilobytesOfThousandBytes() throws Exception {
        byte[] payload = randomBytes(100_000, 1);
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> s.getOutputStream().write(payload)));
        p.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 100); // 100 KB/s = 100,000 B/s
        Socket s = connect(p);
        long start = System.nanoTime();
        byte[] got = s.getInputStream().readAllBytes();
        long took = millisSince(start);
        assertArrayEquals(payload, got);
        assertTrue(took >= 900 && took < 4_000, "took " + took);
    }

    @Test
    void bandwidthUpstreamThrottles() throws Exception {
        CopyOnWriteArrayList<Long> received = new CopyOnWriteArrayList<>();
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> {
            byte[] all = s.getInputStream().readNBytes(50_000);
            received.add((long) all.length);
            s.getOutputStream().write(1);
        }));
        p.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 50);
        Socket s = connect(p);
        long start = System.nanoTime();
        s.getOutputStream().write(randomBytes(50_000, 2));
        assertEquals(1, s.getInputStream().read());
        long took = millisSince(start);
        assertEquals(List.of(50_000L), received);
        assertTrue(took >= 900 && took < 4_000, "took " + took);
    }

    @Test
    void bandwidthZeroIsALosslessPauseUntilRemoved() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Socket s = connect(p);
        p.toxics().bandwidth("cut", ToxicDirection.UPSTREAM, 0);
        byte[] payload = randomBytes(10_000, 3);
        s.getOutputStream().write(payload);
        s.setSoTimeout(400);
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "stalled");
        s.setSoTimeout(10_000);
        p.toxics().get("cut").remove();
        assertArrayEquals(payload, s.getInputStream().readNBytes(payload.length), "held bytes delivered");
        assertTrue(rttMillis(s, "alive") < 1000, "connection survived");
    }

    // ------------------------------------------------------------------ slow_close

    @Test
    void slowCloseDelaysOnlyTheClose() throws Exception {
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> s.getOutputStream().write("bye".getBytes())));
        p.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 600);
        Socket s = connect(p);
        long start = System.nanoTime();
        assertEquals("bye", new String(s.getInputStream().readNBytes(3)));
        long data = millisSince(start);
        assertEquals(-1, s.getInputStream().read());
        long eof = millisSince(start);
        assertTrue(data < 400, "data at once: " + data);
        assertTrue(eof >= 600 && eof < 3000, "eof after the delay: " + eof);
    }

    @Test
    void slowCloseUpstreamDelaysTheCloseSeenByTheServer() throws Exception {
        CopyOnWriteArrayList<Long> closedAfter = new CopyOnWriteArrayList<>();
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> {
            s.getInputStream().readNBytes(2);
            long start = System.nanoTime();
            s.getInputStream().read(); // EOF once the proxy closes
            closedAfter.add(millisSince(start));
        }));
        p.toxics().slowClose("slow", ToxicDirection.UPSTREAM, 500);
        Socket s = connect(p);
        s.getOutputStream().write("hi".getBytes());
        Thread.sleep(100);
        s.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (closedAfter.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(1, closedAfter.size());
        assertTrue(closedAfter.get(0) >= 450, "server saw close after " + closedAfter.get(0));
    }

    // ------------------------------------------------------------------ timeout

    @Test
    void timeoutZeroDropsDataKeepsTheConnectionAndRemovalClosesIt() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Socket s = connect(p);
        assertTrue(rttMillis(s, "before") < 1000);
        p.toxics().timeout("drop", ToxicDirection.UPSTREAM, 0);
        s.getOutputStream().write("lost".getBytes());
        s.setSoTimeout(700);
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "stalled, not closed");
        assertEquals(1, server.connectionCount("p"));
        s.setSoTimeout(5_000);
        long start = System.nanoTime();
        p.toxics().get("drop").remove();
        assertEquals(-1, readOrReset(s.getInputStream()), "removal closes the connection");
        assertTrue(millisSince(start) < 2_000);
        Socket fresh = connect(p);
        assertTrue(rttMillis(fresh, "after") < 1000, "new connections work, nothing was delivered late");
    }

    @Test
    void timeoutDownstreamDropsReplies() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        p.toxics().timeout("drop", ToxicDirection.DOWNSTREAM, 0);
        Socket s = connect(p);
        s.getOutputStream().write("lost".getBytes());
        s.setSoTimeout(600);
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
    }

    @Test
    void timeoutClosesAnIdleConnectionAfterTheTimeoutButNotWhileDataFlows() throws Exception {
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> s.getInputStream().transferTo(OutputStream.nullOutputStream())));
        p.toxics().timeout("t", ToxicDirection.UPSTREAM, 500);
        Socket idle = connect(p);
        long start = System.nanoTime();
        assertEquals(-1, readOrReset(idle.getInputStream()));
        long idleClosed = millisSince(start);
        assertTrue(idleClosed >= 450 && idleClosed < 3000, "idle closed after " + idleClosed);

        Socket busy = connect(p);
        busy.setSoTimeout(50);
        long busyStart = System.nanoTime();
        for (int i = 0; i < 6; i++) { // writes every 200 ms keep it alive for 1.2 s
            busy.getOutputStream().write('x');
            assertThrows(SocketTimeoutException.class, () -> busy.getInputStream().read(), "still open");
            Thread.sleep(150);
        }
        assertTrue(millisSince(busyStart) > 900);
        busy.setSoTimeout(5_000);
        assertEquals(-1, readOrReset(busy.getInputStream()), "closes once the writes stop");
    }

    /** -1 for EOF; a reset also counts as closed. */
    static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ reset_peer

    @Test
    void resetPeerPresentAtConnectResetsAfterTheTimeoutOnFirstData() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        p.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 400);
        Socket s = connect(p);
        s.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "an idle connection is not reset");
        s.setSoTimeout(5_000);
        long start = System.nanoTime();
        s.getOutputStream().write("doomed".getBytes());
        SocketException reset = assertThrows(SocketException.class, () -> s.getInputStream().read());
        assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
        long took = millisSince(start);
        assertTrue(took >= 380 && took < 3000, "reset after " + took);
    }

    @Test
    void resetPeerAddedToAnOpenConnectionClosesWithFin() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Socket s = connect(p);
        assertTrue(rttMillis(s, "open") < 1000);
        p.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 100);
        s.getOutputStream().write("x".getBytes());
        assertEquals(-1, s.getInputStream().read(), "FIN, not RST, and the chunk was dropped");
    }

    // ------------------------------------------------------------------ slicer

    @Test
    void slicerUpstreamDeliversSmallPiecesWithDelaysAndKeepsEveryByte() throws Exception {
        CopyOnWriteArrayList<Integer> reads = new CopyOnWriteArrayList<>();
        byte[] payload = randomBytes(100, 4);
        CopyOnWriteArrayList<byte[]> got = new CopyOnWriteArrayList<>();
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> {
            var out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (out.size() < 100) {
                int n = s.getInputStream().read(buf);
                if (n < 0) break;
                reads.add(n);
                out.write(buf, 0, n);
            }
            got.add(out.toByteArray());
            s.getOutputStream().write(1);
        }));
        p.toxics().slicer("slice", ToxicDirection.UPSTREAM, 10, 30_000); // 30 ms between pieces
        Socket s = connect(p);
        long start = System.nanoTime();
        s.getOutputStream().write(payload);
        assertEquals(1, s.getInputStream().read());
        long took = millisSince(start);
        assertArrayEquals(payload, got.get(0));
        assertTrue(reads.size() >= 8, "pieces seen by the server: " + reads);
        assertTrue(reads.stream().allMatch(n -> n <= 20), "small pieces: " + reads);
        assertTrue(took >= 8 * 30, "delays between pieces: " + took);
    }

    @Test
    void slicerDownstreamKeepsEveryByte() throws Exception {
        byte[] payload = randomBytes(300_000, 5);
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> s.getOutputStream().write(payload)));
        p.toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 1000, 0).setSizeVariation(300);
        Socket s = connect(p);
        assertArrayEquals(payload, s.getInputStream().readAllBytes());
    }

    // ------------------------------------------------------------------ limit_data

    @Test
    void limitDataDownstreamTruncatesThenCloses() throws Exception {
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> {
            s.getOutputStream().write(randomBytes(1000, 6));
            s.getInputStream().read();
        }));
        p.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 100);
        Socket s = connect(p);
        byte[] got = s.getInputStream().readAllBytes();
        assertArrayEquals(java.util.Arrays.copyOf(randomBytes(1000, 6), 100), got);
    }

    @Test
    void limitDataUpstreamCountsAcrossChunksAndZeroClosesOnFirstData() throws Exception {
        CopyOnWriteArrayList<Integer> received = new CopyOnWriteArrayList<>();
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> received.add(s.getInputStream().readAllBytes().length)));
        p.toxics().limitData("limit", ToxicDirection.UPSTREAM, 25);
        Socket s = connect(p);
        for (int i = 0; i < 5; i++) {
            try {
                s.getOutputStream().write(new byte[10]);
            } catch (IOException closedByTheLimit) {
                break;
            }
            Thread.sleep(30);
        }
        assertEquals(-1, readOrReset(s.getInputStream()));
        awaitSize(received, 1);
        assertEquals(25, received.get(0));

        p.toxics().get("limit", eu.rekawek.toxiproxy.model.toxic.LimitData.class).setBytes(0);
        Socket zero = connect(p);
        zero.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> zero.getInputStream().read(), "idle stays open");
        zero.setSoTimeout(5_000);
        zero.getOutputStream().write(1);
        assertEquals(-1, readOrReset(zero.getInputStream()));
        awaitSize(received, 2);
        assertEquals(0, received.get(1));
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (list.size() < size && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(size, list.size());
    }

    // ------------------------------------------------------------------ toxicity, lifecycle, no wedge

    @Test
    void toxicityIsDrawnPerConnectionAndSticks() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        // 300 ms against a sub-millisecond echo: "slow" and "fast" cannot be confused even under load
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300).setToxicity(0.5f);
        int affected = 0;
        for (int i = 0; i < 12; i++) {
            Socket s = connect(p);
            boolean slow = rttMillis(s, "a") >= 300;
            for (int j = 0; j < 2; j++) {
                long rtt = rttMillis(s, "b");
                assertEquals(slow, rtt >= 300, "the draw sticks for the connection: " + rtt);
            }
            if (slow) affected++;
            s.close();
        }
        // seeded server: deterministic draws; with p = 0.5 all-or-nothing would be a 1-in-2048 event anyway
        assertTrue(affected > 0 && affected < 12, "affected " + affected + " of 12");

        p.toxics().get("lat").setToxicity(0f);
        assertTrue(rttMillis(connect(p), "never") < 300);
    }

    @Test
    void deletingAProxyClosesItsConnections() throws Exception {
        Proxy p = proxyTo(TestUpstream.echo(UPSTREAM_HOST));
        Socket s = connect(p);
        assertTrue(rttMillis(s, "x") < 1000);
        p.delete();
        assertEquals(-1, readOrReset(s.getInputStream()));
    }

    @Test
    void theApiNeverWaitsForAStalledConnection() throws Exception {
        byte[] flood = new byte[64 * 1024];
        Proxy p = proxyTo(TestUpstream.start(UPSTREAM_HOST, s -> {
            OutputStream out = s.getOutputStream();
            while (true) out.write(flood); // the client never reads: buffers fill up
        }));
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 10);
        Socket s = connect(p);
        Thread.sleep(700); // let every buffer on the way fill
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            p.toxics().get("lat").remove();
            p.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 0);
            p.toxics().latency("lat2", ToxicDirection.DOWNSTREAM, 5).setLatency(6);
            client.getProxy("p").toxics().getAll();
            client.getProxies();
            client.reset();
            p.disable();
        });
        assertEquals(-1, readAllOrReset(s.getInputStream()), "disable closed the stalled connection");
    }

    /** Drains what was buffered; returns -1 once closed (EOF or reset). */
    static int readAllOrReset(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) { /* drain */ }
            return -1;
        } catch (SocketException e) {
            return -1;
        }
    }

    @Test
    void upstreamDownGivesConnectThenEof() throws Exception {
        Proxy p = client.createProxy("p", LISTEN_HOST + ":0", UPSTREAM_HOST + ":1");
        Socket s = connect(p);
        assertEquals(-1, readOrReset(s.getInputStream()));
    }
}
