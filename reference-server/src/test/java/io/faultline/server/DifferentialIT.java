package io.faultline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Randomized op sequences from several sessions, run against the reference server and Apache ZooKeeper 3.9.4
 * standalone side by side: results, error codes, Stats (times aside, session ids by index), children order and
 * watch events must be identical. Both servers start fresh, so zxids line up as well.
 */
class DifferentialIT {
    static final int SESSIONS = 3;
    static ZkServer ours;
    static RealZooKeeper real;
    static final AtomicInteger tryNo = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        ours = TestServer.start(TestServer.tempDir("diff-ours"), "127.0.1.2");
        real = RealZooKeeper.start(TestServer.tempDir("diff-real"), "127.0.1.3");
    }

    @AfterContainer
    static void stop() {
        if (ours != null) ours.close();
        if (real != null) real.close();
    }

    sealed interface Action {}
    record Create(int session, String path, int data, CreateMode mode) implements Action {}
    record Delete(int session, String path, int version) implements Action {}
    record SetData(int session, String path, int data, int version) implements Action {}
    record GetData(int session, String path, boolean watch) implements Action {}
    record Exists(int session, String path, boolean watch) implements Action {}
    record Children(int session, String path, boolean watch) implements Action {}
    record Multi(int session, List<Action> ops) implements Action {}
    record Reconnect(int session) implements Action {}
    record PersistentWatch(int session, String path) implements Action {}
    record SetAcl(int session, String path, boolean readOnly, int version) implements Action {}
    record GetAcl(int session, String path) implements Action {}
    record Check(int session, String path, int version) implements Action {}

    static final List<String> NAMES = List.of("a", "b", "c", "a/x", "a/y", "b/x", "a/x/z");

    @Provide
    Arbitrary<List<Action>> programs() {
        Arbitrary<Integer> session = Arbitraries.integers().between(0, SESSIONS - 1);
        Arbitrary<String> path = Arbitraries.of(NAMES);
        Arbitrary<Integer> data = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> version = Arbitraries.of(-1, -1, 0, 1, 2);
        Arbitrary<CreateMode> mode = Arbitraries.of(CreateMode.PERSISTENT, CreateMode.PERSISTENT, CreateMode.EPHEMERAL,
                CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER);
        Arbitrary<Boolean> watch = Arbitraries.of(true, false);
        Arbitrary<Action> create = Combinators.combine(session, path, data, mode).as(Create::new);
        Arbitrary<Action> delete = Combinators.combine(session, path, version).as(Delete::new);
        Arbitrary<Action> set = Combinators.combine(session, path, data, version).as(SetData::new);
        Arbitrary<Action> get = Combinators.combine(session, path, watch).as(GetData::new);
        Arbitrary<Action> exists = Combinators.combine(session, path, watch).as(Exists::new);
        Arbitrary<Action> children = Combinators.combine(session, Arbitraries.of("", "a", "b", "a/x"), watch).as(Children::new);
        Arbitrary<Action> check = Combinators.combine(session, path, version).as(Check::new);
        Arbitrary<Action> writeOp = Arbitraries.oneOf(
                Combinators.combine(session, path, data, Arbitraries.of(CreateMode.PERSISTENT, CreateMode.PERSISTENT_SEQUENTIAL)).as(Create::new),
                delete, set, check);
        Arbitrary<Action> setAcl = Combinators.combine(session, path, Arbitraries.of(true, false, false), version).as(SetAcl::new);
        Arbitrary<Action> getAcl = Combinators.combine(session, path).as(GetAcl::new);
        Arbitrary<Action> multi = Combinators.combine(session, writeOp.list().ofMinSize(1).ofMaxSize(4)).as(Multi::new);
        Arbitrary<Action> reconnect = session.map(Reconnect::new);
        Arbitrary<Action> persistent = Combinators.combine(session, Arbitraries.of("", "a")).as(PersistentWatch::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, create), net.jqwik.api.Tuple.of(3, delete), net.jqwik.api.Tuple.of(3, set),
                net.jqwik.api.Tuple.of(2, get), net.jqwik.api.Tuple.of(2, exists), net.jqwik.api.Tuple.of(2, children),
                net.jqwik.api.Tuple.of(2, multi), net.jqwik.api.Tuple.of(1, reconnect), net.jqwik.api.Tuple.of(1, persistent),
                net.jqwik.api.Tuple.of(1, setAcl), net.jqwik.api.Tuple.of(1, getAcl))
                .list().ofMinSize(5).ofMaxSize(30);
    }

    /** One side of the comparison: a set of sessions against one server, with recorded watch events. */
    static final class Side implements AutoCloseable {
        final String connect;
        final ZooKeeper[] sessions = new ZooKeeper[SESSIONS];
        final List<List<String>> events = new ArrayList<>();
        final Map<Long, String> sessionNames = new HashMap<>();
        int generation;

        Side(String connect) throws Exception {
            this.connect = connect;
            for (int i = 0; i < SESSIONS; i++) {
                events.add(new CopyOnWriteArrayList<>());
                open(i);
            }
        }

        void open(int i) throws Exception {
            List<String> log = events.get(i);
            sessions[i] = TestServer.connect(connect, 10_000, e -> {
                if (e.getType() != org.apache.zookeeper.Watcher.Event.EventType.None) log.add(e.getType() + " " + e.getPath());
            });
            sessionNames.put(sessions[i].getSessionId(), "s" + i + "." + generation++);
        }

        /** Waits until every event sent before now has been delivered to each session's watcher. */
        void settle() throws Exception {
            for (ZooKeeper zk : sessions) {
                var done = new CompletableFuture<Void>();
                zk.sync("/", (rc, p, ctx) -> done.complete(null), null);
                done.get(10, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws Exception {
            for (ZooKeeper zk : sessions) if (zk != null) zk.close();
        }
    }

    @Property(tries = 40)
    void sameResultsAsZooKeeper(@ForAll("programs") List<Action> program) throws Exception {
        String root = "/t" + tryNo.incrementAndGet();
        try (Side a = new Side(ours.port() > 0 ? "127.0.1.2:" + ours.port() : null); Side b = new Side(real.connectString())) {
            a.sessions[0].create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            b.sessions[0].create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            var trace = new ArrayList<String>();
            for (Action action : program) {
                String ra = run(a, root, action);
                String rb = run(b, root, action);
                trace.add(action + " -> " + rb);
                assertEquals(rb, ra, "diverged at " + action + "\ntrace:\n" + String.join("\n", trace));
            }
            a.settle();
            b.settle();
            for (int i = 0; i < SESSIONS; i++) {
                assertEquals(oneNotificationOrderFree(b.events.get(i)), oneNotificationOrderFree(a.events.get(i)),
                        "watch events of session " + i + "\ntrace:\n" + String.join("\n", trace));
            }
            assertEquals(dump(b, root), dump(a, root), "final trees");
        }
    }

    /**
     * The official client hands one notification to all the watchers of a path it matches (one-shot and
     * persistent) in HashSet order, which differs between JVM runs; so the order among the watchers of one
     * notification is not the server's to keep. Consecutive events for the same notification (same type and
     * path, persistent or not) are sorted; the order of notifications is compared as it is.
     */
    static List<String> oneNotificationOrderFree(List<String> events) {
        var out = new ArrayList<String>();
        int i = 0;
        while (i < events.size()) {
            String key = events.get(i).startsWith("P ") ? events.get(i).substring(2) : events.get(i);
            int j = i + 1;
            while (j < events.size()) {
                String e = events.get(j);
                if (!(e.startsWith("P ") ? e.substring(2) : e).equals(key)) break;
                j++;
            }
            var group = new ArrayList<>(events.subList(i, j));
            java.util.Collections.sort(group);
            out.addAll(group);
            i = j;
        }
        return out;
    }

    /** The harness parses srvr/mntr of both servers: same labels in the same order, same Mode/state values. */
    @net.jqwik.api.Example
    void fourLetterWordsHaveZooKeepersShape() throws Exception {
        for (String cmd : List.of("srvr", "stat", "conf")) {
            List<String> mine = labels(TestServer.fourLetter("127.0.1.2", ours.port(), cmd));
            List<String> theirs = labels(TestServer.fourLetter(real.host, real.port, cmd));
            theirs.removeIf(l -> l.equals("secureClientPort") && !mine.contains(l));
            assertEquals(theirs, mine, cmd);
        }
        String srvr = TestServer.fourLetter("127.0.1.2", ours.port(), "srvr");
        assertEquals(true, srvr.contains("\nMode: standalone\n"), srvr);
        List<String> realMntr = labels(TestServer.fourLetter(real.host, real.port, "mntr"));
        List<String> ourMntr = labels(TestServer.fourLetter("127.0.1.2", ours.port(), "mntr"));
        for (String key : ourMntr) {
            if (!key.equals("zk_zxid")) assertEquals(true, realMntr.contains(key), "mntr key " + key + " unknown to ZooKeeper");
        }
        assertEquals(realMntr.subList(0, 2), ourMntr.subList(0, 2), "zk_version, zk_server_state first");
    }

    /** The label of each line: text before ':', '=' or tab; client lines of stat collapse to "client". */
    static List<String> labels(String text) {
        var out = new ArrayList<String>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith(" /")) {
                if (out.isEmpty() || !out.get(out.size() - 1).equals("client")) out.add("client");
                continue;
            }
            out.add(line.split("[:=\t]", 2)[0]);
        }
        return out;
    }

    static String dump(Side s, String root) throws Exception {
        var sb = new StringBuilder();
        dumpNode(s, root, sb);
        return sb.toString();
    }

    private static void dumpNode(Side s, String path, StringBuilder sb) throws Exception {
        Stat st = new Stat();
        byte[] d = s.sessions[0].getData(path, false, st);
        sb.append(path).append(' ').append(d == null ? "null" : new String(d, StandardCharsets.UTF_8)).append(' ').append(stat(s, st)).append('\n');
        List<String> kids = s.sessions[0].getChildren(path, false);
        sb.append("  children ").append(kids).append('\n');
        List<String> sorted = new ArrayList<>(kids);
        Collections.sort(sorted);
        for (String k : sorted) dumpNode(s, path + "/" + k, sb);
    }

    static String stat(Side s, Stat st) {
        String owner = st.getEphemeralOwner() == 0 ? "0" : s.sessionNames.getOrDefault(st.getEphemeralOwner(), "?");
        return "czxid=" + st.getCzxid() + " mzxid=" + st.getMzxid() + " pzxid=" + st.getPzxid() + " v=" + st.getVersion()
                + " cv=" + st.getCversion() + " av=" + st.getAversion() + " owner=" + owner + " len=" + st.getDataLength()
                + " kids=" + st.getNumChildren();
    }

    static String run(Side s, String root, Action action) throws Exception {
        try {
            return switch (action) {
                case Create c -> {
                    Stat st = new Stat();
                    String p = s.sessions[c.session()].create(root + "/" + c.path(), data(c.data()), Ids.OPEN_ACL_UNSAFE, c.mode(), st);
                    yield p.substring(root.length()) + " " + stat(s, st);
                }
                case Delete d -> {
                    s.sessions[d.session()].delete(root + "/" + d.path(), d.version());
                    yield "ok";
                }
                case SetData d -> stat(s, s.sessions[d.session()].setData(root + "/" + d.path(), data(d.data()), d.version()));
                case GetData g -> {
                    Stat st = new Stat();
                    byte[] d = s.sessions[g.session()].getData(root + "/" + g.path(), g.watch(), st);
                    yield (d == null ? "null" : new String(d, StandardCharsets.UTF_8)) + " " + stat(s, st);
                }
                case Exists e -> {
                    Stat st = s.sessions[e.session()].exists(root + "/" + e.path(), e.watch());
                    yield st == null ? "none" : stat(s, st);
                }
                case Children c -> {
                    Stat st = new Stat();
                    String p = c.path().isEmpty() ? root : root + "/" + c.path();
                    yield s.sessions[c.session()].getChildren(p, c.watch(), st) + " " + stat(s, st);
                }
                case Multi m -> {
                    var ops = new ArrayList<Op>();
                    for (Action op : m.ops()) {
                        ops.add(switch (op) {
                            case Create c -> Op.create(root + "/" + c.path(), data(c.data()), Ids.OPEN_ACL_UNSAFE, c.mode());
                            case Delete d -> Op.delete(root + "/" + d.path(), d.version());
                            case SetData d -> Op.setData(root + "/" + d.path(), data(d.data()), d.version());
                            case Check c -> Op.check(root + "/" + c.path(), c.version());
                            default -> throw new IllegalStateException();
                        });
                    }
                    try {
                        yield results(s, root, s.sessions[m.session()].multi(ops));
                    } catch (KeeperException e) {
                        yield "multi failed " + e.code() + " " + results(s, root, e.getResults());
                    }
                }
                case SetAcl a -> stat(s, s.sessions[a.session()].setACL(root + "/" + a.path(),
                        a.readOnly() ? Ids.READ_ACL_UNSAFE : Ids.OPEN_ACL_UNSAFE, a.version()));
                case GetAcl g -> {
                    Stat st = new Stat();
                    yield s.sessions[g.session()].getACL(root + "/" + g.path(), st) + " " + stat(s, st);
                }
                case Check c -> throw new IllegalStateException("only inside multi");
                case Reconnect r -> {
                    s.sessions[r.session()].close();
                    s.open(r.session());
                    yield "reconnected";
                }
                case PersistentWatch w -> {
                    int i = w.session();
                    List<String> log = s.events.get(i);
                    s.sessions[i].addWatch(w.path().isEmpty() ? root : root + "/" + w.path(),
                            e -> log.add("P " + e.getType() + " " + e.getPath()), AddWatchMode.PERSISTENT_RECURSIVE);
                    yield "watching";
                }
            };
        } catch (KeeperException e) {
            return "error " + e.code();
        }
    }

    static String results(Side s, String root, List<OpResult> results) {
        var out = new ArrayList<String>();
        for (OpResult r : results) {
            out.add(switch (r) {
                case OpResult.CreateResult c -> "create " + c.getPath().substring(root.length()) + (c.getStat() == null ? "" : " " + stat(s, c.getStat()));
                case OpResult.SetDataResult d -> "set " + stat(s, d.getStat());
                case OpResult.DeleteResult d -> "delete";
                case OpResult.CheckResult c -> "check";
                case OpResult.ErrorResult e -> "err " + e.getErr();
                default -> r.getClass().getSimpleName();
            });
        }
        return out.toString();
    }

    static byte[] data(int d) {
        return d == 0 ? null : ("d" + d).getBytes(StandardCharsets.UTF_8);
    }
}
