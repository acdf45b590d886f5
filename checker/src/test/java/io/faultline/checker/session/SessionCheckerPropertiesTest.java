package io.faultline.checker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Histories of a simulated ZooKeeper-like ensemble pass; the same with one injected fault fail with its anomaly. */
class SessionCheckerPropertiesTest {

    private static final Map<ZkSim.Fault, Set<String>> EXPECTED = Map.of(
            ZkSim.Fault.STALE_READ, Set.of("fifo-client-order", "single-system-image", "monotonic-reads",
                    "sequential-reads"),
            ZkSim.Fault.LOST_WRITE, Set.of("read-your-writes", "sequential-reads", "monotonic-reads"),
            ZkSim.Fault.EPHEMERAL_OUTLIVES_SESSION, Set.of("ephemeral-lifecycle"),
            ZkSim.Fault.LATE_WATCH_EVENT, Set.of("watch-before-data"));

    private static CheckResult check(List<Op> history) {
        return new SessionChecker().check(history);
    }

    @Property(tries = 150)
    void simulatedZooKeeperHistoriesPass(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int sessions,
                                         @ForAll @IntRange(min = 1, max = 4) int keys,
                                         @ForAll @IntRange(min = 0, max = 400) int steps) {
        CheckResult r = check(ZkSim.generate(seed, sessions, keys, steps, ZkSim.Fault.NONE));
        assertEquals(List.of(), r.anomalies(), r.summary());
        assertEquals(Verdict.VALID, r.verdict());
    }

    /** The benchmark's simulation: many sessions with overlapping calls, lagging followers, reconnects, watches. */
    @Property(tries = 60)
    void concurrentSimulatedHistoriesPass(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int sessions,
                                          @ForAll @IntRange(min = 2, max = 5) int servers,
                                          @ForAll @IntRange(min = 1, max = 6) int keys,
                                          @ForAll @IntRange(min = 10, max = 4000) int entries) {
        CheckResult r = check(SessionCheckerBench.sessionHistory(entries, sessions, servers, keys, seed));
        assertEquals(List.of(), r.anomalies(), r.summary());
        assertEquals(Verdict.VALID, r.verdict());
    }

    @Property(tries = 200)
    void oneInjectedFaultIsFoundAsItsAnomaly(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int sessions,
                                             @ForAll @IntRange(min = 1, max = 4) int keys,
                                             @ForAll @IntRange(min = 0, max = 300) int steps,
                                             @ForAll("faults") ZkSim.Fault fault) {
        CheckResult r = check(ZkSim.generate(seed, sessions, keys, steps, fault));
        assertEquals(Verdict.INVALID, r.verdict(), fault + ": " + r.summary());
        Set<String> kinds = new TreeSet<>();
        for (Anomaly a : r.anomalies()) {
            if (!Guarantee.softKinds().contains(a.kind())) kinds.add(a.kind()); // a lost write also makes sync reads stale
            assertFalse(a.witnesses().isEmpty(), a.toString());
        }
        assertTrue(EXPECTED.get(fault).containsAll(kinds), fault + " gave " + kinds + ": " + r.anomalies());
        assertFalse(kinds.isEmpty());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<ZkSim.Fault> faults() {
        return net.jqwik.api.Arbitraries.of(ZkSim.Fault.STALE_READ, ZkSim.Fault.LOST_WRITE,
                ZkSim.Fault.EPHEMERAL_OUTLIVES_SESSION, ZkSim.Fault.LATE_WATCH_EVENT);
    }
}
