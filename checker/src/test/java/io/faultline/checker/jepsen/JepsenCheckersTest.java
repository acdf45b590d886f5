package io.faultline.checker.jepsen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JepsenCheckersTest {

    private static Anomaly only(CheckResult r, String kind) {
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
        List<Anomaly> of = r.anomalies().stream().filter(a -> a.kind().equals(kind)).toList();
        assertEquals(1, of.size(), () -> "anomalies: " + r.anomalies());
        return of.get(0);
    }

    // ---- set ----

    @Test
    void setCleanHistoryIsValidWithCounts() {
        H h = new H();
        h.call(0, "add", 1L, 1L);
        h.invoke(1, "add", 2L);
        h.info(1, "add", 2L);          // indeterminate, later read: recovered
        h.invoke(2, "add", 3L);
        h.fail(2, "add", 3L);
        h.call(0, "read", null, List.of(1L, 2L));
        CheckResult r = new SetChecker().check(h.ops());
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
        assertEquals(1L, r.details().get("ok-count"));
        assertEquals(1L, r.details().get("recovered-count"));
        assertEquals(0L, r.details().get("lost-count"));
    }

    @Test
    void setLostElementIsReportedWithItsAddAndTheRead() {
        H h = new H();
        long added = h.call(0, "add", 1L, 1L);
        h.call(0, "add", 2L, 2L);
        long read = h.call(1, "read", null, List.of(2L));
        Anomaly a = only(new SetChecker().check(h.ops()), "lost");
        assertEquals(List.of(added, read), a.witnesses());
    }

    @Test
    void setElementPresentThenAbsentIsLostButAbsentThenPresentIsStale() {
        H h = new H();
        h.call(0, "add", 1L, 1L);
        h.call(1, "read", null, List.of(1L));
        long last = h.call(1, "read", null, List.of());
        Anomaly a = only(new SetChecker().check(h.ops()), "lost");
        assertTrue(a.witnesses().contains(last));

        H s = new H();
        s.call(0, "add", 1L, 1L);
        s.call(1, "read", null, List.of());
        s.call(1, "read", null, List.of(1L));
        CheckResult r = new SetChecker().check(s.ops());
        assertEquals(Verdict.VALID, r.verdict());
        assertEquals(1L, r.details().get("stale-count"));
        only(new SetChecker(true).check(s.ops()), "stale");
    }

    @Test
    void setUnexpectedElement() {
        H h = new H();
        h.call(0, "add", 1L, 1L);
        long read = h.call(1, "read", null, List.of(1L, 9L));
        assertEquals(List.of(read), only(new SetChecker().check(h.ops()), "unexpected").witnesses());
    }

    // ---- queues ----

    @Test
    void queueCleanHistoryIsValid() {
        H h = new H();
        h.call(0, "enqueue", 1L, 1L);
        h.call(0, "enqueue", 2L, 2L);
        h.call(1, "dequeue", null, 1L);
        h.call(1, "drain", null, List.of(2L));
        assertEquals(Verdict.VALID, new QueueChecker(true).check(h.ops()).verdict());
        assertEquals(Verdict.VALID, new QueueChecker(false).check(h.ops()).verdict());
    }

    @Test
    void queueDuplicateUnexpectedAndLost() {
        H h = new H();
        long e1 = h.call(0, "enqueue", 1L, 1L);
        long e2 = h.call(0, "enqueue", 2L, 2L);
        long d1 = h.call(1, "dequeue", null, 1L);
        long d2 = h.call(1, "dequeue", null, 1L);
        long d3 = h.call(1, "dequeue", null, 7L);
        long drain = h.call(1, "drain", null, List.of());
        CheckResult r = new QueueChecker(false).check(h.ops());
        assertEquals(List.of(d1, d2), only(r, "duplicated").witnesses());
        assertEquals(List.of(d3), only(r, "unexpected").witnesses());
        assertEquals(List.of(e2, drain), only(r, "lost").witnesses());
        assertEquals(3, r.anomalies().size());
        assertTrue(e1 < e2);
    }

    @Test
    void queueLossesAllowForIndeterminateDequeues() {
        H h = new H();
        h.call(0, "enqueue", 1L, 1L);
        h.invoke(1, "dequeue", null);
        h.info(1, "dequeue", null);            // may have taken 1
        h.call(2, "drain", null, List.of());
        CheckResult r = new QueueChecker(false).check(h.ops());
        assertEquals(Verdict.VALID, r.verdict(), r.summary());
        assertEquals(1L, r.details().get("possibly-taken-by-indeterminate-dequeues"));

        H two = new H();
        long e1 = two.call(0, "enqueue", 1L, 1L);
        long e2 = two.call(0, "enqueue", 2L, 2L);
        two.invoke(1, "dequeue", null);
        two.info(1, "dequeue", null);          // can explain only one of the two
        long drain = two.call(2, "drain", null, List.of());
        CheckResult bad = new QueueChecker(false).check(two.ops());
        assertEquals(Verdict.INVALID, bad.verdict());
        assertEquals(List.of(List.of(e1, drain), List.of(e2, drain)),
                bad.anomalies().stream().map(Anomaly::witnesses).toList());
    }

    @Test
    void fifoQueueOrderViolationButUnorderedAccepts() {
        H h = new H();
        long e1 = h.call(0, "enqueue", 1L, 1L);
        long e2i = h.invoke(0, "enqueue", 2L);
        h.ok(0, "enqueue", 2L);
        long d2 = h.call(1, "dequeue", null, 2L);
        long d1 = h.call(1, "dequeue", null, 1L);
        Anomaly a = only(new QueueChecker(true).check(h.ops()), "fifo-order");
        assertEquals(List.of(e1, e2i, d2, d1), a.witnesses());
        assertEquals(Verdict.VALID, new QueueChecker(false).check(h.ops()).verdict());

        H drain = new H();
        drain.call(0, "enqueue", 1L, 1L);
        drain.call(0, "enqueue", 2L, 2L);
        drain.call(1, "drain", null, List.of(2L, 1L));
        only(new QueueChecker(true).check(drain.ops()), "fifo-order");
    }

    // ---- counter ----

    @Test
    void counterReadsWithinBoundsAreValid() {
        H h = new H();
        h.call(0, "add", 1L, 1L);
        h.invoke(1, "add", 5L);          // concurrent with the read: 1 or 6 both fine
        h.call(2, "read", null, 6L);
        h.ok(1, "add", 5L);
        h.invoke(0, "add", 2L);
        h.info(0, "add", 2L);            // indeterminate: may or may not count
        h.call(2, "read", null, 8L);
        h.call(2, "read", null, 6L);     // the info add never applied: also fine
        assertEquals(Verdict.VALID, new CounterChecker().check(h.ops()).verdict());
    }

    @Test
    void counterReadBelowAcknowledgedAddsOrAboveAllAdds() {
        H h = new H();
        h.call(0, "add", 1L, 1L);
        long ri = h.invoke(1, "read", null);
        long rc = h.ok(1, "read", 0L);
        Anomaly a = only(new CounterChecker().check(h.ops()), "counter-out-of-bounds");
        assertEquals(List.of(ri, rc), a.witnesses());

        H up = new H();
        up.call(0, "add", 1L, 1L);
        up.call(1, "read", null, 2L);
        only(new CounterChecker().check(up.ops()), "counter-out-of-bounds");
        assertEquals(Verdict.VALID, new CounterChecker(1).check(up.ops()).verdict());
    }

    // ---- unique ids ----

    @Test
    void uniqueIds() {
        H h = new H();
        long a = h.call(0, "generate", null, 1L);
        h.call(1, "generate", null, 2L);
        assertEquals(Verdict.VALID, new UniqueIdsChecker().check(h.ops()).verdict());
        long b = h.call(2, "generate", null, 1);   // Integer 1 is the same id as Long 1
        assertEquals(List.of(a, b), only(new UniqueIdsChecker().check(h.ops()), "duplicate-id").witnesses());
    }

    // ---- lock ----

    @Test
    void lockSequentialHoldsAreValid() {
        H h = new H();
        h.call(0, "acquire", null, null);
        h.invoke(1, "acquire", null);       // waits while 0 holds
        h.call(0, "release", null, null);
        h.ok(1, "acquire", null);
        h.call(1, "release", null, null);
        assertEquals(Verdict.VALID, new LockChecker().check(h.ops()).verdict());
    }

    @Test
    void lockTwoHoldersAtOnce() {
        H h = new H();
        long a0 = h.call(0, "acquire", null, null);
        long a1 = h.call(1, "acquire", null, null);
        long rel = h.invoke(0, "release", null);
        h.ok(0, "release", null);
        Anomaly a = only(new LockChecker().check(h.ops()), "mutex-violation");
        assertEquals(List.of(a0, a1, rel), a.witnesses());
    }

    @Test
    void lockLostWithSessionOrLeaseIsNotAViolation() {
        H h = new H();
        h.invoke(0, "acquire", null, H.f().session(10));
        h.ok(0, "acquire", null, H.f().session(10));
        h.invoke(100, "session-event", null, H.f().session(10));
        h.ok(100, "session-event", null, H.f().session(10).x("state", "Expired"));
        h.invoke(1, "acquire", null, H.f().session(11));
        h.ok(1, "acquire", null, H.f().session(11));
        assertEquals(Verdict.VALID, new LockChecker().check(h.ops()).verdict());

        H lease = new H();
        lease.invoke(0, "acquire", null, H.f().time(0));
        lease.ok(0, "acquire", null, H.f().time(1_000_000).x("lease-ms", 5));
        lease.invoke(1, "acquire", null, H.f().time(2_000_000));
        lease.ok(1, "acquire", null, H.f().time(6_000_000));
        assertEquals(Verdict.VALID, new LockChecker().check(lease.ops()).verdict());
        lease.invoke(2, "acquire", null, H.f().time(6_500_000));
        lease.ok(2, "acquire", null, H.f().time(7_000_000));
        only(new LockChecker().check(lease.ops()), "mutex-violation");
    }

    @Test
    void lockReleaseOfUnheldLock() {
        H h = new H();
        long r = h.call(0, "release", null, null);
        assertTrue(only(new LockChecker().check(h.ops()), "release-unheld").witnesses().contains(r));
    }

    // ---- stats ----

    @Test
    void statsCountsAndFailsWhenAnFNeverSucceeds() {
        H h = new H();
        h.call(0, "read", null, 1L);
        h.invoke(0, "write", 1L);
        h.fail(0, "write", 1L);
        h.invoke(1, "write", 2L);
        h.info(1, "write", 2L);
        CheckResult r = new StatsChecker().check(h.ops());
        Anomaly a = only(r, "never-succeeded");
        assertTrue(a.description().contains("write"));
        @SuppressWarnings("unchecked")
        Map<String, Object> write = (Map<String, Object>) ((Map<String, Object>) r.details().get("by-f")).get("write");
        assertEquals(1L, write.get("fail-count"));
        assertEquals(1L, write.get("info-count"));
        h.call(2, "write", 3L, 3L);
        assertEquals(Verdict.VALID, new StatsChecker().check(h.ops()).verdict());
    }

    // ---- registry ----

    @Test
    void registryKnowsEveryCheckerByName() {
        for (String name : List.of("set", "fifo-queue", "unordered-queue", "queue", "counter", "lock", "unique-ids",
                "stats")) {
            assertEquals(name, Checkers.byName(name, CheckerOptions.defaults()).name());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Checkers.byName("counter", CheckerOptions.defaults().withExtra("init", "x")));
    }
}
