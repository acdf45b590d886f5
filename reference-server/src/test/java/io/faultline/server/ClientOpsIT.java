package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official ZooKeeper 3.9 client against the reference server: ops, modes, errors, watches, ACLs, sessions. */
class ClientOpsIT {
    static final String HOST = "127.0.1.1";
    static ZkServer server;
    static String connect;
    ZooKeeper zk;
    final List<ZooKeeper> extra = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Path dir = TestServer.tempDir("ops");
        server = TestServer.start(dir, HOST);
        connect = HOST + ":" + server.port();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @BeforeEach
    void open() throws Exception {
        zk = TestServer.connect(connect, 10_000, null);
    }

    @AfterEach
    void closeClients() throws Exception {
        zk.close();
        for (ZooKeeper z : extra) z.close();
    }

    ZooKeeper another(Watcher w) throws Exception {
        ZooKeeper z = TestServer.connect(connect, 10_000, w);
        extra.add(z);
        return z;
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void createGetSetDeleteWithStatsAndErrors() throws Exception {
        String p = zk.create("/crud", b("v0"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals("/crud", p);
        Stat st = new Stat();
        assertArrayEquals(b("v0"), zk.getData("/crud", false, st));
        assertEquals(0, st.getVersion());
        assertEquals(st.getCzxid(), st.getMzxid());
        assertEquals(2, st.getDataLength());
        Stat after = zk.setData("/crud", b("v1"), 0);
        assertEquals(1, after.getVersion());
        assertTrue(after.getMzxid() > after.getCzxid());
        assertThrows(KeeperException.BadVersionException.class, () -> zk.setData("/crud", b("x"), 0));
        assertThrows(KeeperException.NodeExistsException.class, () -> zk.create("/crud", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.create("/nope/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.getData("/nope", false, null));
        assertNull(zk.exists("/nope", false));
        zk.create("/crud/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertNull(zk.getData("/crud/a", false, null), "null data stays null");
        zk.create("/crud/b", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> kids = new ArrayList<>(zk.getChildren("/crud", false));
        Collections.sort(kids);
        assertEquals(List.of("a", "b"), kids);
        Stat parent = zk.exists("/crud", false);
        assertEquals(2, parent.getNumChildren());
        assertEquals(2, parent.getCversion());
        assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete("/crud", -1));
        assertThrows(KeeperException.BadVersionException.class, () -> zk.delete("/crud/a", 5));
        zk.delete("/crud/a", 0);
        Stat p2 = zk.exists("/crud", false);
        assertEquals(3, p2.getCversion(), "cversion counts creates and deletes");
        assertEquals(1, p2.getNumChildren());
        assertTrue(p2.getPzxid() > parent.getPzxid());
        assertThrows(KeeperException.NoNodeException.class, () -> zk.delete("/crud/a", -1));
        Stat root = zk.exists("/", false);
        assertNotNull(root);
        assertTrue(zk.getChildren("/", false).contains("zookeeper"));
        assertThrows(IllegalArgumentException.class, () -> zk.create("relative", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    @Test
    void createModes() throws Exception {
        zk.create("/modes", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/modes/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/modes/y", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/modes/x", -1);
        zk.delete("/modes/y", -1);
        assertEquals("/modes/s0000000002", zk.create("/modes/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        assertEquals("/modes/e0000000003", zk.create("/modes/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL));
        String eph = zk.create("/modes/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertEquals(zk.getSessionId(), zk.exists(eph, false).getEphemeralOwner());
        assertThrows(KeeperException.NoChildrenForEphemeralsException.class,
                () -> zk.create("/modes/eph/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        Stat cst = new Stat();
        zk.create("/modes/container", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, cst);
        assertEquals(0, cst.getEphemeralOwner(), "containers show ephemeralOwner 0");
        assertEquals(List.of("/modes/e0000000003", "/modes/eph").stream().sorted().toList(),
                zk.getEphemerals("/modes").stream().sorted().toList());
        assertEquals(4, zk.getAllChildrenNumber("/modes"));
        assertThrows(KeeperException.UnimplementedException.class,
                () -> zk.create("/modes/ttl", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000));
        ZooKeeper other = another(null);
        assertNotNull(other.exists(eph, false));
        zk.close();
        assertNull(other.exists(eph, false), "ephemeral removed on close");
        assertNull(other.exists("/modes/e0000000003", false));
        zk = TestServer.connect(connect, 10_000, null);
    }

    @Test
    void watchNotificationPrecedesReplyAndWatchesFireOnce() throws Exception {
        zk.create("/w", b("0"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        var order = new CopyOnWriteArrayList<String>();
        zk.getData("/w", e -> order.add("event:" + e.getType()), null);
        var done = new CountDownLatch(1);
        zk.setData("/w", b("1"), -1, (rc, path, ctx, stat) -> {
            order.add("reply:" + rc);
            done.countDown();
        }, null);
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("event:NodeDataChanged", "reply:0"), order);
        zk.setData("/w", b("2"), -1);
        zk.sync("/w");
        assertEquals(2, order.size(), "one-shot watch fired once");

        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        ZooKeeper watcher = another(null);
        watcher.exists("/w/new", events::add);
        watcher.getChildren("/w", events::add);
        zk.create("/w/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        var e1 = events.poll(5, TimeUnit.SECONDS);
        var e2 = events.poll(5, TimeUnit.SECONDS);
        assertEquals(List.of(EventType.NodeCreated, EventType.NodeChildrenChanged).stream().sorted().toList(),
                List.of(e1.getType(), e2.getType()).stream().sorted().toList());
        watcher.getData("/w/new", events::add, null);
        watcher.getChildren("/w", events::add);
        zk.delete("/w/new", -1);
        var types = new ArrayList<EventType>();
        types.add(events.poll(5, TimeUnit.SECONDS).getType());
        types.add(events.poll(5, TimeUnit.SECONDS).getType());
        assertTrue(types.containsAll(List.of(EventType.NodeDeleted, EventType.NodeChildrenChanged)), types.toString());
    }

    @Test
    void persistentRecursiveWatchAndRemoval() throws Exception {
        zk.create("/pw", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        Watcher w = events::add;
        ZooKeeper watcher = another(null);
        watcher.addWatch("/pw", w, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.create("/pw/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/pw/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData("/pw/a/b", b("x"), -1);
        zk.delete("/pw/a/b", -1);
        var got = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            WatchedEvent e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, "event " + i + " after " + got);
            got.add(e.getType() + " " + e.getPath());
        }
        assertEquals(List.of("NodeCreated /pw/a", "NodeCreated /pw/a/b", "NodeDataChanged /pw/a/b", "NodeDeleted /pw/a/b"), got);
        watcher.removeWatches("/pw", w, Watcher.WatcherType.Any, false);
        assertEquals(EventType.PersistentWatchRemoved, events.poll(5, TimeUnit.SECONDS).getType());
        zk.create("/pw/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        watcher.sync("/pw");
        assertNull(events.poll(300, TimeUnit.MILLISECONDS));
        assertThrows(KeeperException.NoWatcherException.class,
                () -> watcher.removeWatches("/pw", w, Watcher.WatcherType.Data, false));
        watcher.getData("/pw", events::add, null);
        watcher.getChildren("/pw", events::add);
        watcher.removeAllWatches("/pw", Watcher.WatcherType.Any, false); // opcode removeWatches(18)
        var removed = new ArrayList<EventType>();
        removed.add(events.poll(5, TimeUnit.SECONDS).getType());
        removed.add(events.poll(5, TimeUnit.SECONDS).getType());
        assertTrue(removed.containsAll(List.of(EventType.DataWatchRemoved, EventType.ChildWatchRemoved)), removed.toString());
        zk.setData("/pw", b("y"), -1);
        watcher.sync("/pw");
        assertNull(events.poll(300, TimeUnit.MILLISECONDS), "removed on the server too");
        assertThrows(KeeperException.NoWatcherException.class,
                () -> watcher.removeAllWatches("/pw", Watcher.WatcherType.Any, false));
    }

    @Test
    void multiIsAtomicWithPerOpResults() throws Exception {
        List<OpResult> ok = zk.multi(List.of(
                Op.create("/m", b("a"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/m/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.setData("/m", b("b"), 0),
                Op.check("/m", 1)));
        assertEquals("/m/c0000000000", ((OpResult.CreateResult) ok.get(1)).getPath());
        assertEquals(1, ((OpResult.SetDataResult) ok.get(2)).getStat().getVersion());
        var err = assertThrows(KeeperException.BadVersionException.class, () -> zk.multi(List.of(
                Op.create("/m/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check("/m", 7),
                Op.delete("/m/c0000000000", -1))));
        List<OpResult> results = err.getResults();
        assertEquals(0, ((OpResult.ErrorResult) results.get(0)).getErr());
        assertEquals(KeeperException.Code.BADVERSION.intValue(), ((OpResult.ErrorResult) results.get(1)).getErr());
        assertEquals(KeeperException.Code.RUNTIMEINCONSISTENCY.intValue(), ((OpResult.ErrorResult) results.get(2)).getErr());
        assertNull(zk.exists("/m/x", false), "nothing of a failed multi is applied");
        List<OpResult> reads = zk.multi(List.of(Op.getData("/m"), Op.getData("/m/none"), Op.getChildren("/m")));
        assertArrayEquals(b("b"), ((OpResult.GetDataResult) reads.get(0)).getData());
        assertEquals(KeeperException.Code.NONODE.intValue(), ((OpResult.ErrorResult) reads.get(1)).getErr());
        assertEquals(List.of("c0000000000"), ((OpResult.GetChildrenResult) reads.get(2)).getChildren());
    }

    @Test
    void aclsDigestAuthAndIp() throws Exception {
        String digest = DigestAuthenticationProvider.generateDigest("alice:secret");
        List<ACL> aliceOnly = Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)));
        zk.create("/acl", b("s"), aliceOnly, CreateMode.PERSISTENT);
        assertThrows(KeeperException.NoAuthException.class, () -> zk.getData("/acl", false, null));
        assertThrows(KeeperException.NoAuthException.class, () -> zk.setData("/acl", b("x"), -1));
        assertThrows(KeeperException.InvalidACLException.class,
                () -> zk.create("/bad", null, Collections.singletonList(new ACL(31, new Id("world", "someone"))), CreateMode.PERSISTENT));
        assertThrows(KeeperException.InvalidACLException.class,
                () -> zk.create("/bad", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
        ZooKeeper alice = another(null);
        alice.addAuthInfo("digest", b("alice:secret"));
        assertArrayEquals(b("s"), alice.getData("/acl", false, null));
        alice.create("/acl2", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertEquals(digest, alice.getACL("/acl2", new Stat()).get(0).getId().getId());
        Stat st = new Stat();
        alice.setACL("/acl2", Ids.OPEN_ACL_UNSAFE, 0);
        assertThrows(KeeperException.BadVersionException.class, () -> alice.setACL("/acl2", Ids.OPEN_ACL_UNSAFE, 0));
        assertEquals(1, alice.exists("/acl2", false).getAversion());
        zk.getACL("/acl2", st);
        List<ACL> ipAcl = Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.0/8")));
        zk.create("/ipacl", b("i"), ipAcl, CreateMode.PERSISTENT);
        assertArrayEquals(b("i"), zk.getData("/ipacl", false, null));
        List<ACL> otherIp = Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "10.1.2.3")));
        zk.create("/ipacl2", b("i"), otherIp, CreateMode.PERSISTENT);
        assertThrows(KeeperException.NoAuthException.class, () -> zk.getData("/ipacl2", false, null));
        assertThrows(KeeperException.NoAuthException.class, () -> zk.exists("/acl", false), "exists checks READ");
        assertNull(zk.exists("/acl/missing", false));
        BlockingQueue<WatchedEvent> anonymousEvents = new LinkedBlockingQueue<>();
        BlockingQueue<WatchedEvent> aliceEvents = new LinkedBlockingQueue<>();
        alice.create("/acl3", b("s"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertNotNull(zk.exists("/acl3", anonymousEvents::add));
        alice.setACL("/acl3", aliceOnly, -1); // setACL fires nothing
        alice.getData("/acl3", aliceEvents::add, null);
        alice.setData("/acl3", b("t"), -1);
        assertEquals(EventType.NodeDataChanged, aliceEvents.poll(5, TimeUnit.SECONDS).getType());
        zk.sync("/acl3");
        assertNull(anonymousEvents.poll(200, TimeUnit.MILLISECONDS), "no notification without READ on the node");
        var mixed = new ArrayList<ACL>(Ids.READ_ACL_UNSAFE);
        mixed.add(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)));
        alice.create("/masked", null, mixed, CreateMode.PERSISTENT);
        assertEquals("alice:x", zk.getACL("/masked", new Stat()).get(1).getId().getId(), "digest masked without ADMIN");
        assertEquals(digest, alice.getACL("/masked", new Stat()).get(1).getId().getId());
        var who = alice.whoAmI();
        assertEquals("digest alice, ip 127.0.0.1", who.stream().map(ci -> ci.getAuthScheme() + " " + ci.getUser())
                .collect(java.util.stream.Collectors.joining(", ")), "ZooKeeper's order");
    }

    @Test
    void sessionResumeOnNewConnectionAndExpiredAnswer() throws Exception {
        String eph = zk.create("/resume", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        var connected = new CountDownLatch(1);
        ZooKeeper again = new ZooKeeper(connect, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        }, zk.getSessionId(), zk.getSessionPasswd());
        extra.add(again);
        assertTrue(connected.await(10, TimeUnit.SECONDS));
        assertEquals(zk.getSessionId(), again.getSessionId());
        again.delete(eph, -1); // same session owns it

        var expired = new CountDownLatch(1);
        ZooKeeper bogus = new ZooKeeper(connect, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.Expired) expired.countDown();
        }, 0x1234L, new byte[16]);
        extra.add(bogus);
        assertTrue(expired.await(10, TimeUnit.SECONDS), "unknown session is told it expired");
    }

    @Test
    void sessionTimeoutNegotiationAndFourLetterWords() throws Exception {
        ZooKeeper small = another(null);
        assertEquals(10_000, small.getSessionTimeout());
        var low = TestServer.connect(connect, 100, null);
        extra.add(low);
        assertEquals(1000, low.getSessionTimeout(), "clamped to 2*tickTime");
        assertEquals("imok", TestServer.fourLetter(HOST, server.port(), "ruok"));
        String srvr = TestServer.fourLetter(HOST, server.port(), "srvr");
        assertTrue(srvr.contains("Mode: standalone"), srvr);
        assertTrue(srvr.matches("(?s).*Zxid: 0x[0-9a-f]+\n.*"), srvr);
        String mntr = TestServer.fourLetter(HOST, server.port(), "mntr");
        assertTrue(mntr.contains("zk_server_state\tstandalone"), mntr);
        assertTrue(TestServer.fourLetter(HOST, server.port(), "stat").contains("Clients:"));
        assertTrue(TestServer.fourLetter(HOST, server.port(), "cons").contains("sid=0x"));
        assertTrue(TestServer.fourLetter(HOST, server.port(), "conf").contains("tickTime=500"));
        assertTrue(TestServer.fourLetter(HOST, server.port(), "envi").startsWith("Environment:"));
    }

    @Test
    void ephemeralsOfAnExpiredSessionAreDeleted() throws Exception {
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        try (RawClient silent = RawClient.connected(HOST, server.port(), 1000)) {
            silent.request(1, 1, new org.apache.zookeeper.proto.CreateRequest("/expiring", null,
                    new ArrayList<>(Ids.OPEN_ACL_UNSAFE), CreateMode.EPHEMERAL.toFlag()));
            var header = Jute.read(silent.readFrame(), new org.apache.zookeeper.proto.ReplyHeader());
            assertEquals(0, header.getErr());
            assertEquals(silent.sessionId, zk.exists("/expiring", events::add).getEphemeralOwner());
            long start = System.nanoTime();
            WatchedEvent e = events.poll(10, TimeUnit.SECONDS); // the raw client never pings
            assertNotNull(e);
            assertEquals(EventType.NodeDeleted, e.getType());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500, "expired too early: " + ms + " ms");
            assertTrue(silent.closedByServer(), "the expired session's connection is closed");
        }
    }

    @Test
    void noEphemeralAfterCloseSessionInThePipeline() throws Exception {
        try (RawClient raw = RawClient.connected(HOST, server.port(), 10_000)) {
            raw.frame(Jute.write(new org.apache.zookeeper.proto.RequestHeader(1, -11))); // closeSession
            raw.request(2, 1, new org.apache.zookeeper.proto.CreateRequest("/late-ephemeral", null,
                    new ArrayList<>(Ids.OPEN_ACL_UNSAFE), CreateMode.EPHEMERAL.toFlag()));
            assertTrue(raw.closedByServer());
        }
        zk.sync("/");
        assertNull(zk.exists("/late-ephemeral", false));
    }

    @Test
    void oversizedRequestClosesOnlyThatConnection() throws Exception {
        zk.create("/big", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper bystander = another(null);
        var lost = assertThrows(KeeperException.class, () -> zk.setData("/big", new byte[1_100_000], -1));
        assertEquals(KeeperException.Code.CONNECTIONLOSS, lost.code());
        assertNotNull(bystander.exists("/big", false));
        assertEquals(0, bystander.exists("/big", false).getDataLength());
    }
}
