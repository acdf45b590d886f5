package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import net.jqwik.api.Example;

/**
 * Malformed, mutated, truncated and oversized input: the offending connection is closed (with a log line) and a
 * well-behaved official client keeps being served throughout.
 */
class BadInputIT {
    static final String HOST = "127.0.1.6";
    static ZkServer server;
    static ZooKeeper good;
    static int counter;

    @BeforeContainer
    static void start() throws Exception {
        server = TestServer.start(TestServer.tempDir("badinput"), HOST);
        good = TestServer.connect(HOST + ":" + server.port(), 30_000, null);
        good.create("/fuzz", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @AfterContainer
    static void stop() throws Exception {
        if (good != null) good.close();
        if (server != null) server.close();
    }

    /** The well-behaved client still gets correct answers. */
    static void stillServing() throws Exception {
        String path = good.create("/fuzz/ok", ("" + ++counter).getBytes(), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        assertEquals("" + counter, new String(good.getData(path, false, null)));
        assertEquals("imok", TestServer.fourLetter(HOST, server.port(), "ruok"));
    }

    @Property(tries = 60)
    void randomFramesAfterHandshake(@ForAll @Size(max = 200) byte[] payload, @ForAll @IntRange(min = -12, max = 110) int type)
            throws Exception {
        try (RawClient c = RawClient.connected(HOST, server.port(), 30_000)) {
            byte[] frame = ByteBuffer.allocate(8 + payload.length).putInt(1).putInt(type).put(payload).array();
            c.frame(frame);
            c.socket.setSoTimeout(300);
            c.closedByServer(); // either an error reply or a close; both fine, the server must stay healthy
        }
        stillServing();
    }

    @Property(tries = 60)
    void mutatedValidRequests(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int flips) throws Exception {
        var rnd = new Random(seed);
        byte[] valid = switch (rnd.nextInt(3)) {
            case 0 -> Jute.write(new RequestHeader(1, 1), new CreateRequest("/fuzz/m", new byte[10], new ArrayList<>(Ids.OPEN_ACL_UNSAFE), 0));
            case 1 -> Jute.write(new RequestHeader(1, 5), new SetDataRequest("/fuzz", new byte[5], -1));
            default -> Jute.write(new RequestHeader(1, 4), new GetDataRequest("/fuzz", true));
        };
        for (int i = 0; i < flips; i++) valid[rnd.nextInt(valid.length)] ^= (byte) (1 + rnd.nextInt(255));
        try (RawClient c = RawClient.connected(HOST, server.port(), 30_000)) {
            c.frame(valid);
            c.socket.setSoTimeout(300);
            c.closedByServer();
        }
        good.delete("/fuzz/m", -1, (rc, p, ctx) -> { }, null);
        stillServing();
    }

    @Property(tries = 30)
    void garbageBeforeHandshake(@ForAll @Size(min = 1, max = 100) byte[] garbage) throws Exception {
        try (Socket s = new Socket(HOST, server.port())) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(garbage);
            s.getOutputStream().flush();
            s.shutdownOutput(); // a short frame then EOF
            try {
                s.getInputStream().readAllBytes(); // returns once the server closes
            } catch (IOException closed) {
                // reset is also a close
            }
        }
        stillServing();
    }

    @Example
    void hugeLengthPrefixAndTruncatedFrameAreRefused() throws Exception {
        try (RawClient c = RawClient.connected(HOST, server.port(), 30_000)) {
            c.out.writeInt(Integer.MAX_VALUE);
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        try (RawClient c = RawClient.connected(HOST, server.port(), 30_000)) {
            c.out.writeInt(-5);
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        try (RawClient c = new RawClient(HOST, server.port())) {
            c.out.writeInt(1000);
            c.out.write(new byte[10]);
            c.socket.shutdownOutput();
            assertTrue(c.closedByServer());
        }
        stillServing();
    }

    @Example
    void aClientThatStopsReadingIsCutOff() throws Exception {
        good.create("/fuzz/big", new byte[900_000], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        try (var c = new RawClient(HOST, server.port())) {
            c.socket.setReceiveBufferSize(4096);
            c.frame(Jute.write(new org.apache.zookeeper.proto.ConnectRequest(0, 0, 30_000, 0, new byte[16], false)));
            c.readFrame();
            byte[] req = Jute.write(new RequestHeader(0, 4), new GetDataRequest("/fuzz/big", false));
            for (int i = 1; i <= 120; i++) {
                ByteBuffer.wrap(req).putInt(0, i);
                c.frame(req); // never read the answers
            }
            stillServing();
            long deadline = System.currentTimeMillis() + 20_000;
            while (server.core().connections().size() > 1 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertEquals(1, server.core().connections().size(), "only the good client is left");
        }
        stillServing();
    }
}
