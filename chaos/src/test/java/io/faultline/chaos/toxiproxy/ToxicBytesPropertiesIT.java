package io.faultline.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Byte-preservation properties of the data plane through real sockets: slicer and bandwidth
 * (alone and chained with latency) never lose, duplicate or reorder a byte; limit_data delivers
 * exactly the allowed prefix.
 */
class ToxicBytesPropertiesIT {
    static final String API_HOST = "127.0.2.1";
    static final String LISTEN_HOST = "127.0.2.6";
    static final String UPSTREAM_HOST = "127.0.2.7";
    static final AtomicInteger names = new AtomicInteger();

    static ToxiproxyServer server;
    static ToxiproxyClient client;
    static TestUpstream echo;
    static TestUpstream generator;

    @BeforeContainer
    static void start() throws IOException {
        server = ToxiproxyServer.start(API_HOST, 0, 11);
        client = new ToxiproxyClient(server.apiHost(), server.apiPort());
        echo = TestUpstream.echo(UPSTREAM_HOST);
        // reads (seed, size), writes that many deterministic bytes, then closes
        generator = TestUpstream.start(UPSTREAM_HOST, s -> {
            DataInputStream in = new DataInputStream(s.getInputStream());
            long seed = in.readLong();
            int size = in.readInt();
            s.getOutputStream().write(bytes(seed, size));
        });
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        echo.close();
        generator.close();
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Socket connect(Proxy p) throws IOException {
        var hp = Addresses.split(p.getListen());
        Socket s = new Socket();
        s.connect(new InetSocketAddress(hp.host(), hp.port()), 2000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Writes the payload from another thread while reading the echo, so neither side blocks the other. */
    static byte[] echoThrough(Proxy p, byte[] payload) throws Exception {
        try (Socket s = connect(p)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(payload);
                } catch (IOException ignored) {
                    // the read side reports what arrived
                }
            });
            byte[] got = s.getInputStream().readNBytes(payload.length);
            writer.join();
            return got;
        }
    }

    @Property(tries = 25)
    void slicerAndBandwidthPreserveEveryByte(
            @ForAll @IntRange(min = 1, max = 150_000) int size,
            @ForAll @IntRange(min = 1, max = 4_000) int averageSize,
            @ForAll @IntRange(min = 0, max = 1_500) int sizeVariation,
            @ForAll boolean slicerUpstream,
            @ForAll @IntRange(min = 20_000, max = 200_000) int rateKbPerSecond,
            @ForAll @IntRange(min = 0, max = 3) int latencyMs,
            @ForAll long seed) throws Exception {
        Proxy p = client.createProxy("prop" + names.incrementAndGet(), LISTEN_HOST + ":0", echo.address());
        try {
            ToxicDirection slicerDir = slicerUpstream ? ToxicDirection.UPSTREAM : ToxicDirection.DOWNSTREAM;
            ToxicDirection otherDir = slicerUpstream ? ToxicDirection.DOWNSTREAM : ToxicDirection.UPSTREAM;
            p.toxics().slicer("slicer", slicerDir, averageSize, 0).setSizeVariation(sizeVariation);
            p.toxics().bandwidth("bandwidth", otherDir, rateKbPerSecond);
            p.toxics().latency("latency", slicerDir, latencyMs);
            byte[] payload = bytes(seed, size);
            assertArrayEquals(payload, echoThrough(p, payload));
        } finally {
            p.delete();
        }
    }

    @Property(tries = 25)
    void limitDataDeliversExactlyTheAllowedPrefix(
            @ForAll @IntRange(min = 0, max = 100_000) int size,
            @ForAll @IntRange(min = 0, max = 120_000) int limit,
            @ForAll @IntRange(min = 1, max = 3_000) int sliceSize,
            @ForAll long seed) throws Exception {
        Proxy p = client.createProxy("limit" + names.incrementAndGet(), LISTEN_HOST + ":0", generator.address());
        try {
            // slicing first makes the limit cross chunk boundaries at arbitrary points
            p.toxics().slicer("slicer", ToxicDirection.DOWNSTREAM, sliceSize, 0);
            p.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, limit);
            try (Socket s = connect(p)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeLong(seed);
                out.writeInt(size);
                out.flush();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    s.getInputStream().transferTo(got);
                } catch (java.net.SocketException closed) {
                    // a close racing our read still leaves what arrived in got
                }
                byte[] expected = Arrays.copyOf(bytes(seed, size), Math.min(size, limit));
                assertArrayEquals(expected, got.toByteArray());
            }
        } finally {
            p.delete();
        }
    }
}
