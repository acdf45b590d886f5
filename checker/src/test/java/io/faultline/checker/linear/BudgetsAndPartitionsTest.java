package io.faultline.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.bench.HistoryGenerator;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetsAndPartitionsTest {

    /** Pending writes of 0..n-1, concurrent reads of every value in a scrambled order, and a read of a value never written. */
    static List<Op> hard(int n) {
        List<Op> h = new ArrayList<>();
        for (int p = 0; p < n; p++) h.add(Op.of(h.size(), h.size(), OpType.INVOKE, p, "write", (long) p));
        for (int p = 0; p < n; p++) h.add(Op.of(h.size(), h.size(), OpType.INVOKE, 100 + p, "read", null));
        for (int p = n - 1; p >= 0; p--) h.add(Op.of(h.size(), h.size(), OpType.OK, 100 + p, "read", (long) ((p * 7) % n)));
        h.add(Op.of(h.size(), h.size(), OpType.INVOKE, 999, "read", null));
        h.add(Op.of(h.size(), h.size(), OpType.OK, 999, "read", 99L));
        return h;
    }

    @Test
    void timeLimitGivesUnknownInsteadOfHanging() {
        CheckerOptions o = CheckerOptions.forModel("cas-register").withTimeLimit(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        CheckResult r = new LinearizabilityChecker(o).check(hard(18));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.summary());
        assertTrue(String.valueOf(r.details().get("unknownReason")).startsWith("time limit"), r.summary());
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void memoryBudgetGivesUnknown() {
        CheckerOptions o = CheckerOptions.forModel("cas-register").withMemoryBudget(4L << 20);
        CheckResult r = new LinearizabilityChecker(o).check(hard(18));
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.summary());
        assertTrue(String.valueOf(r.details().get("unknownReason")).startsWith("memory budget"), r.summary());
    }

    @Test
    void smallVersionOfTheHardHistoryIsDecided() {
        CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("cas-register")).check(hard(6));
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
        @SuppressWarnings("unchecked")
        Map<String, Object> cx = (Map<String, Object>) ((List<?>) r.details().get("counterexamples")).get(0);
        assertEquals((long) hard(6).size() - 2, cx.get("op"));
    }

    @Test
    void oneBadPartitionAmongManyIsFoundAndReportedWithItsKey() {
        List<Op> h = new ArrayList<>(HistoryGenerator.registerHistory(new HistoryGenerator.Spec(8, 20_000, 400, 0.01, false, 5, true, 3)));
        // key 4242: write 1 completes, then a read returns 7 which nobody wrote
        long t = h.get(h.size() - 1).time() + 1;
        Object[][] tail = {{OpType.INVOKE, "write", 1L}, {OpType.OK, "write", 1L}, {OpType.INVOKE, "read", null}, {OpType.OK, "read", 7L}};
        for (Object[] e : tail) {
            h.add(new Op(h.size(), t++, (OpType) e[0], 5000, (String) e[1], e[2], 4242L, null, null, null, Map.of()));
        }
        CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("cas-register").withExtra("threads", "2")).check(h);
        assertEquals(Verdict.INVALID, r.verdict(), r.summary());
        @SuppressWarnings("unchecked")
        Map<String, Object> cx = (Map<String, Object>) ((List<?>) r.details().get("counterexamples")).get(0);
        assertEquals("4242", cx.get("key"));
        assertEquals(401, r.details().get("partitions"));
    }
}
