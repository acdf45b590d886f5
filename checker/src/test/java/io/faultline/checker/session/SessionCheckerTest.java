package io.faultline.checker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import io.faultline.checker.jepsen.H;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One hand-built history per anomaly kind, with the expected witnesses; clean counterparts pass. */
class SessionCheckerTest {

    /** History builder with ZooKeeper fields: every call is invoke + ok back to back unless split. */
    static final class Zk {
        final H h = new H();

        long write(long p, long session, String node, String key, long value, long zxid) {
            h.invoke(p, "write", value, H.f().key(key).session(session));
            return h.ok(p, "write", value, H.f().key(key).session(session).node(node).zxid(zxid).x("mzxid", zxid));
        }

        long read(long p, long session, String node, String key, Long value, long mzxid, long zxid) {
            return read(p, session, node, key, value, mzxid, zxid, "plain");
        }

        long read(long p, long session, String node, String key, Long value, long mzxid, long zxid, String mode) {
            h.invoke(p, "read", null, H.f().key(key).session(session).x("read-mode", mode));
            return h.ok(p, "read", value, H.f().key(key).session(session).node(node).zxid(zxid).x("mzxid", mzxid)
                    .x("read-mode", mode));
        }

        CheckResult check() {
            return new SessionChecker().check(h.ops());
        }
    }

    private static Anomaly only(CheckResult r, String kind) {
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind().equals(kind)).toList();
        assertEquals(1, of.size(), () -> kind + " in " + r.anomalies());
        return of.get(0);
    }

    @SuppressWarnings("unchecked")
    private static String status(CheckResult r, String guarantee) {
        return (String) ((Map<String, Map<String, Object>>) r.details().get("guarantees")).get(guarantee).get("status");
    }

    @Test
    void cleanHistoryPassesEveryApplicableGuarantee() {
        Zk z = new Zk();
        z.write(0, 1, "n1", "x", 1, 1);
        z.read(0, 1, "n1", "x", 1L, 1, 1);
        z.read(1, 2, "n2", "x", null, 0, 0);       // a lagging follower: stale but allowed
        z.write(1, 2, "n2", "y", 2, 2);
        z.read(1, 2, "n3", "x", 1L, 1, 2);         // moved to another server that is new enough
        z.write(0, 1, "n1", "x", 3, 3);
        z.read(0, 1, "n1", "x", 3L, 3, 3, "sync");
        CheckResult r = z.check();
        assertEquals(List.of(), r.anomalies());
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
        for (String g : List.of("read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads",
                "sequential-reads", "linearizable-writes", "single-system-image", "sync-reads-linearizable")) {
            assertEquals("pass", status(r, g), g);
        }
        assertEquals("not-applicable", status(r, "ephemeral-lifecycle"));
        assertEquals("not-applicable", status(r, "watch-once"));
    }

    @Test
    void historyWithoutZooKeeperFieldsIsUnknown() {
        H h = new H();
        h.call(0, "write", 1L, 1L);
        CheckResult r = new SessionChecker().check(h.ops());
        assertEquals(Verdict.UNKNOWN, r.verdict());
    }

    @Test
    void singleSystemImageAfterReconnect() {
        Zk z = new Zk();
        z.write(9, 9, "n1", "y", 1, 1);
        z.write(9, 9, "n1", "y", 2, 2);
        long saw = z.read(0, 1, "n1", "x", null, 0, 2);
        long older = z.read(0, 1, "n2", "x", null, 0, 1);
        assertEquals(List.of(saw, older), only(z.check(), "single-system-image").witnesses());
        assertEquals(Verdict.INVALID, z.check().verdict());
    }

    @Test
    void fifoClientOrderZxidRegressionOnOneServerAndRepliesOutOfOrder() {
        Zk z = new Zk();
        z.write(9, 9, "n1", "y", 1, 1);
        z.write(9, 9, "n1", "y", 2, 2);
        long a = z.read(0, 1, "n1", "x", null, 0, 2);
        long b = z.read(0, 1, "n1", "x", null, 0, 1);
        assertEquals(List.of(a, b), only(z.check(), "fifo-client-order").witnesses());

        H h = new H(); // two pipelined requests of one session, answered in the wrong order
        long i1 = h.invoke(0, "read", null, H.f().session(1));
        long i2 = h.invoke(1, "read", null, H.f().session(1));
        long c2 = h.ok(1, "read", 1L, H.f().session(1).zxid(1));
        long c1 = h.ok(0, "read", 1L, H.f().session(1).zxid(1));
        Anomaly x = only(new SessionChecker().check(h.ops()), "fifo-client-order");
        assertEquals(List.of(i1, i2, c2, c1), x.witnesses());
    }

    @Test
    void readYourWrites() {
        Zk z = new Zk();
        long w = z.write(0, 1, "n1", "x", 1, 1);
        long r = z.read(0, 1, "n1", "x", null, 0, 1);
        Anomaly a = only(z.check(), "read-your-writes");
        assertEquals(List.of(w, r - 1, r), a.witnesses());
    }

    @Test
    void monotonicReads() {
        Zk z = new Zk();
        z.write(9, 9, "n1", "x", 1, 1);
        z.write(9, 9, "n1", "x", 2, 2);
        long first = z.read(0, 1, "n2", "x", 2L, 2, 2);
        long second = z.read(0, 1, "n2", "x", 1L, 1, 2);
        Anomaly a = only(z.check(), "monotonic-reads");
        assertEquals(List.of(first, second - 1, second), a.witnesses());
    }

    @Test
    void monotonicWritesAndWritesFollowReads() {
        Zk z = new Zk();
        long w1 = z.write(0, 1, "n1", "x", 1, 5);
        long w2 = z.write(0, 1, "n1", "y", 2, 4);
        assertEquals(List.of(w1, w2), only(z.check(), "monotonic-writes").witnesses());

        Zk f = new Zk();
        f.write(9, 9, "n1", "x", 1, 5);
        long read = f.read(0, 1, "n1", "x", 1L, 5, 5);
        long write = f.write(0, 1, "n1", "y", 2, 3);
        CheckResult r = f.check();
        assertEquals(List.of(read, write), only(r, "writes-follow-reads").witnesses());
    }

    @Test
    void sequentialReadsStaleBehindWhatTheSessionSawOnAnotherKey() {
        Zk z = new Zk();
        long wx = z.write(9, 9, "n1", "x", 1, 1);
        z.write(9, 9, "n1", "y", 2, 2);
        long ry = z.read(0, 1, "n1", "y", 2L, 2, 2);
        long rx = z.read(0, 1, "n2", "x", null, 0, 2); // at zxid 2, x was already 1
        Anomaly a = only(z.check(), "sequential-reads");
        assertEquals(List.of(wx, ry, rx - 1, rx), a.witnesses());
        assertEquals(Verdict.INVALID, z.check().verdict());
    }

    @Test
    void sequentialReadsValueMismatchAndValueNeverWritten() {
        Zk z = new Zk();
        long w = z.write(9, 9, "n1", "x", 1, 1);
        long r = z.read(0, 1, "n1", "x", 7L, 1, 1);
        assertEquals(List.of(w, r), only(z.check(), "sequential-reads").witnesses());

        Zk n = new Zk();
        n.write(9, 9, "n1", "x", 1, 1);
        long bad = n.read(0, 1, "n1", "x", 8L, 3, 3);
        assertEquals(List.of(bad), only(n.check(), "sequential-reads").witnesses());
    }

    @Test
    void indeterminateWriteRevealedByAReadCountsWithItsZxid() {
        H h = new H();
        h.invoke(0, "write", 1L, H.f().key("x").session(1));
        h.info(0, "write", 1L, H.f().key("x").session(1));
        h.invoke(1, "read", null, H.f().key("x").session(2));
        h.ok(1, "read", 1L, H.f().key("x").session(2).zxid(4).x("mzxid", 4L));
        h.invoke(1, "read", null, H.f().key("x").session(2));
        h.ok(1, "read", 1L, H.f().key("x").session(2).zxid(4).x("mzxid", 4L));
        assertEquals(Verdict.VALID, new SessionChecker().check(h.ops()).verdict());
        h.invoke(2, "read", null, H.f().key("y").session(3));
        h.ok(2, "read", null, H.f().key("y").session(3).zxid(5).x("mzxid", 0L)); // the session is at zxid 5
        h.invoke(2, "read", null, H.f().key("x").session(3));
        long stale = h.ok(2, "read", null, H.f().key("x").session(3).zxid(5).x("mzxid", 0L));
        assertTrue(only(new SessionChecker().check(h.ops()), "sequential-reads").witnesses().contains(stale));
    }

    @Test
    void sequentialReadsWithoutVersionsFallsBackToSearch() {
        H ok = new H(); // session 1 writes 1 then 2; session 2 reads 1 then 2: fine
        ok.invoke(0, "write", 1L, H.f().key("x").session(1));
        ok.ok(0, "write", 1L, H.f().key("x").session(1));
        ok.invoke(0, "write", 2L, H.f().key("x").session(1));
        ok.ok(0, "write", 2L, H.f().key("x").session(1));
        ok.invoke(1, "read", null, H.f().key("x").session(2));
        ok.ok(1, "read", 1L, H.f().key("x").session(2));
        ok.invoke(1, "read", null, H.f().key("x").session(2));
        ok.ok(1, "read", 2L, H.f().key("x").session(2));
        CheckResult r = new SessionChecker().check(ok.ops());
        assertEquals(Verdict.VALID, r.verdict(), r.summary());

        ok.invoke(1, "read", null, H.f().key("x").session(2));
        long back = ok.ok(1, "read", 1L, H.f().key("x").session(2)); // goes back: no sequential order
        Anomaly a = only(new SessionChecker().check(ok.ops()), "sequential-reads");
        assertTrue(a.witnesses().contains(back), a.toString());
    }

    @Test
    void linearizableWritesRealTimeAndDuplicateZxid() {
        Zk z = new Zk();
        long first = z.write(0, 1, "n1", "x", 1, 7);   // completed first, but the higher zxid
        long second = z.write(1, 2, "n2", "y", 2, 6);
        Anomaly a = only(z.check(), "linearizable-writes");
        assertEquals(List.of(first - 1, first, second - 1, second), a.witnesses());

        Zk d = new Zk();
        long w1 = d.write(0, 1, "n1", "x", 1, 3);
        long w2 = d.write(1, 2, "n1", "y", 2, 3);
        assertTrue(only(d.check(), "linearizable-writes").witnesses().containsAll(List.of(w1, w2)));
    }

    @Test
    void staleSyncReadIsSoftAndDoesNotInvalidate() {
        Zk z = new Zk();
        long w = z.write(0, 1, "n1", "x", 1, 1);
        long r = z.read(1, 2, "n2", "x", null, 0, 0, "sync");
        CheckResult res = z.check();
        Anomaly a = only(res, "sync-reads-linearizable");
        assertEquals(List.of(w, r - 1, r), a.witnesses());
        assertEquals(Verdict.VALID, res.verdict(), res.summary());
        assertEquals("fail", status(res, "sync-reads-linearizable"));
        assertTrue(res.summary().contains("leader-change corner cases"));
        // the same read in plain mode is just a stale read, which ZooKeeper allows
        Zk p = new Zk();
        p.write(0, 1, "n1", "x", 1, 1);
        p.read(1, 2, "n2", "x", null, 0, 0);
        assertEquals(List.of(), p.check().anomalies());
    }

    // ---- ephemerals ----

    private static long create(H h, long p, long session, String path, long zxid) {
        h.invoke(p, "create", path, H.f().session(session));
        return h.ok(p, "create", path, H.f().session(session).zxid(zxid).x("ephemeral", true).x("czxid", zxid)
                .x("session-timeout-ms", 100));
    }

    private static long exists(H h, long p, long session, String path, boolean present, long zxid, String mode,
                               Long timeNs) {
        H.F inv = H.f().session(session).x("read-mode", mode);
        if (timeNs != null) inv.time(timeNs);
        h.invoke(p, "exists", path, inv);
        H.F done = H.f().session(session).zxid(zxid).x("read-mode", mode);
        if (timeNs != null) done.time(timeNs + 1000);
        return h.ok(p, "exists", present, done);
    }

    @Test
    void ephemeralExistingAfterItsSessionClosed() {
        H h = new H();
        long c = create(h, 0, 1, "/e", 1);
        h.invoke(0, "close-session", null, H.f().session(1));
        long close = h.ok(0, "close-session", null, H.f().session(1).zxid(2));
        exists(h, 1, 2, "/e", true, 1, "plain", null);           // a lagging server: fine
        exists(h, 1, 2, "/e", false, 2, "plain", null);
        CheckResult clean = new SessionChecker().check(h.ops());
        assertEquals(Verdict.VALID, clean.verdict(), clean.anomalies().toString());
        long late = exists(h, 1, 3, "/e", true, 3, "plain", null);
        Anomaly a = only(new SessionChecker().check(h.ops()), "ephemeral-lifecycle");
        assertTrue(a.witnesses().containsAll(List.of(c, close, late)), a.toString());
    }

    @Test
    void ephemeralOutlivingSessionTimeoutAfterCrash() {
        H h = new H();
        h.invoke(0, "create", "/e", H.f().session(1).time(0));
        long c = h.ok(0, "create", "/e", H.f().session(1).time(1_000_000).zxid(1).x("ephemeral", true)
                .x("czxid", 1L).x("session-timeout-ms", 100));
        h.invoke(0, "crash-session", null, H.f().session(1).time(2_000_000));
        long crash = h.ok(0, "crash-session", null, H.f().session(1).time(3_000_000));
        exists(h, 1, 2, "/e", true, 1, "sync", 50_000_000L);              // within the timeout
        exists(h, 1, 2, "/e", true, 1, "plain", 900_000_000L);            // plain reads may lag
        SessionOptions opts = SessionOptions.defaults().withEphemeralSlackMs(10);
        assertEquals(Verdict.VALID, new SessionChecker(opts).check(h.ops()).verdict());
        long late = exists(h, 1, 2, "/e", true, 1, "sync", 1_000_000_000L);  // 997 ms after the last heartbeat
        Anomaly a = only(new SessionChecker(opts).check(h.ops()), "ephemeral-lifecycle");
        assertEquals(List.of(c, crash, late), a.witnesses());
        assertEquals(Verdict.VALID, new SessionChecker().check(h.ops()).verdict(), "default slack is 2 s");
    }

    @Test
    void ephemeralResurrectedOrMissingWhileAlive() {
        H h = new H();
        create(h, 0, 1, "/e", 1);
        h.invoke(0, "crash-session", null, H.f().session(1));
        h.ok(0, "crash-session", null, H.f().session(1));
        long gone = exists(h, 1, 2, "/e", false, 5, "plain", null);
        long back = exists(h, 2, 3, "/e", true, 6, "plain", null);
        Anomaly a = only(new SessionChecker().check(h.ops()), "ephemeral-lifecycle");
        assertTrue(a.witnesses().containsAll(List.of(gone, back)), a.toString());

        H m = new H();
        long c = create(m, 0, 1, "/e", 1);
        long missing = exists(m, 1, 2, "/e", false, 2, "plain", null);
        assertEquals(List.of(c, missing), only(new SessionChecker().check(m.ops()), "ephemeral-lifecycle").witnesses());
    }

    // ---- watches ----

    private static long watchedRead(H h, long p, long session, String path, long value, long mzxid, long zxid,
                                    boolean watch) {
        h.invoke(p, "read", null, H.f().key(path).session(session));
        H.F done = H.f().key(path).session(session).zxid(zxid).x("mzxid", mzxid);
        if (watch) done.x("watch", true);
        return h.ok(p, "read", value, done);
    }

    private static long event(H h, long session, String path, String type, long zxid) {
        h.invoke(1_000_000 + session, "watch-event", null, H.f().session(session));
        return h.ok(1_000_000 + session, "watch-event", null, H.f().session(session).x("watch-path", path)
                .x("event-type", type).x("event-zxid", zxid));
    }

    private static long write(H h, long p, long session, String key, long value, long zxid) {
        h.invoke(p, "write", value, H.f().key(key).session(session));
        return h.ok(p, "write", value, H.f().key(key).session(session).zxid(zxid).x("mzxid", zxid));
    }

    @Test
    void watchesCleanHistoryPasses() {
        H h = new H();
        write(h, 0, 1, "/a", 1, 1);
        watchedRead(h, 1, 2, "/a", 1, 1, 1, true);
        write(h, 0, 1, "/a", 2, 2);
        event(h, 2, "/a", "NodeDataChanged", 2);
        watchedRead(h, 1, 2, "/a", 2, 2, 2, true);
        watchedRead(h, 1, 2, "/a", 2, 2, 2, false);      // unchanged data while the watch is pending
        write(h, 0, 1, "/a", 3, 3);
        event(h, 2, "/a", "NodeDataChanged", 3);
        watchedRead(h, 1, 2, "/a", 3, 3, 3, false);
        CheckResult r = new SessionChecker().check(h.ops());
        assertEquals(List.of(), r.anomalies());
        assertEquals("pass", status(r, "watch-once"));
        assertEquals("pass", status(r, "watch-before-data"));
        assertEquals("pass", status(r, "watch-order"));
    }

    @Test
    void watchFiredTwiceForOneRegistration() {
        H h = new H();
        write(h, 0, 1, "/a", 1, 1);
        watchedRead(h, 1, 2, "/a", 1, 1, 1, true);
        write(h, 0, 1, "/a", 2, 2);
        long e1 = event(h, 2, "/a", "NodeDataChanged", 2);
        write(h, 0, 1, "/a", 3, 3);
        long e2 = event(h, 2, "/a", "NodeDataChanged", 3);
        assertEquals(List.of(e1, e2), only(new SessionChecker().check(h.ops()), "watch-once").witnesses());
    }

    @Test
    void watchEventAfterNewerData() {
        H h = new H();
        write(h, 0, 1, "/a", 1, 1);
        long reg = watchedRead(h, 1, 2, "/a", 1, 1, 1, true);
        write(h, 0, 1, "/a", 2, 2);
        long newer = watchedRead(h, 1, 2, "/a", 2, 2, 2, false);
        event(h, 2, "/a", "NodeDataChanged", 2);
        assertEquals(List.of(reg, newer), only(new SessionChecker().check(h.ops()), "watch-before-data").witnesses());
    }

    @Test
    void watchEventsOutOfZxidOrder() {
        H h = new H();
        write(h, 0, 1, "/a", 1, 1);
        write(h, 0, 1, "/b", 1, 2);
        watchedRead(h, 1, 2, "/a", 1, 1, 2, true);
        watchedRead(h, 1, 2, "/b", 1, 2, 2, true);
        write(h, 0, 1, "/a", 2, 3);
        write(h, 0, 1, "/b", 2, 4);
        long eb = event(h, 2, "/b", "NodeDataChanged", 4);
        long ea = event(h, 2, "/a", "NodeDataChanged", 3);
        assertEquals(List.of(eb, ea), only(new SessionChecker().check(h.ops()), "watch-order").witnesses());
    }

    @Test
    void registeredByName() {
        assertEquals("session", Checkers.byName("session", CheckerOptions.defaults()).name());
    }
}
