package io.faultline.server.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Many seeds of the deterministic ZAB simulation. A failing seed is replayed with
 * {@code ./mvnw -B -o -pl reference-server test -Dtest=ZabSimulationTest -Dzab.seed=N}
 * (optionally {@code -Dzab.seeds=K} for more seeds per test, {@code -Dzab.firstSeed=S}).
 */
class ZabSimulationTest {

    private static final Long ONE_SEED = Long.getLong("zab.seed");
    private static final long FIRST = Long.getLong("zab.firstSeed", 1L);
    private static final int SEEDS = Integer.getInteger("zab.seeds", 2000);

    private static void runSeeds(String test, int voters, int observers, int seeds) {
        long from = ONE_SEED != null ? ONE_SEED : FIRST;
        long to = ONE_SEED != null ? ONE_SEED : FIRST + seeds - 1;
        long acknowledged = 0;
        long faults = 0;
        long snaps = 0;
        for (long seed = from; seed <= to; seed++) {
            ZabSimulation sim = new ZabSimulation(seed, ZabSimulation.Options.of(voters, observers));
            try {
                sim.run();
            } catch (Throwable t) {
                fail("ZAB simulation failed (" + voters + " voters, " + observers + " observers). Replay with:\n"
                        + "  ./mvnw -B -o -pl reference-server test -Dtest=ZabSimulationTest#" + test
                        + " -Dzab.seed=" + seed + "\n" + t.getMessage(), t);
            }
            acknowledged += sim.acknowledgedWrites();
            faults += sim.faults();
            snaps += sim.snapshotsInstalled;
        }
        long runs = to - from + 1;
        // Guard against a vacuous pass: the runs must have made progress under faults.
        assertTrue(acknowledged >= runs * 20, "too few acknowledged writes: " + acknowledged + " in " + runs + " runs");
        assertTrue(faults >= runs, "too few faults injected: " + faults);
        assertTrue(ONE_SEED != null || snaps >= runs / 10, "too few SNAP state transfers: " + snaps + " in " + runs + " runs");
        System.out.printf("%s: %d runs, %d acknowledged writes, %d faults, %d SNAPs installed%n", test, runs,
                acknowledged, faults, snaps);
    }

    @Test
    void threeVoters() {
        runSeeds("threeVoters", 3, 0, SEEDS);
    }

    @Test
    void fiveVotersAndAnObserver() {
        runSeeds("fiveVotersAndAnObserver", 5, 1, SEEDS / 2);
    }

    @Test
    void threeVotersAndTwoObservers() {
        runSeeds("threeVotersAndTwoObservers", 3, 2, SEEDS / 4);
    }

    /** The simulation is only worth something if it fails on real ZAB bugs: each injected one must be caught. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(InjectedBug.class)
    void catchesInjectedBug(InjectedBug bug) {
        for (long seed = 1; seed <= 400; seed++) {
            try {
                new ZabSimulation(seed, ZabSimulation.Options.of(3, 0).withBugs(bug)).run();
            } catch (ZabSimulation.InvariantViolation | IllegalStateException expected) {
                return;
            }
        }
        fail("no seed in 1..400 caught injected bug " + bug);
    }

    private static io.faultline.checker.CheckResult linearizability(java.util.List<io.faultline.checker.history.Op> h) {
        return new io.faultline.checker.linear.LinearizabilityChecker(
                io.faultline.checker.CheckerOptions.forModel("zk-versioned-register")).check(h);
    }

    /** Client histories of simulated runs go through faultline's linearizability checker. */
    @Test
    void simulatedWriteHistoriesAreLinearizable() {
        int seeds = ONE_SEED != null ? 1 : Integer.getInteger("zab.checkerSeeds", 200);
        for (int voters : new int[] {3, 5}) {
            for (long i = 0; i < seeds; i++) {
                long seed = ONE_SEED != null ? ONE_SEED : FIRST + i;
                ZabSimulation sim = new ZabSimulation(seed, ZabSimulation.Options.of(voters, 1)).run();
                var result = linearizability(sim.history());
                assertEquals(io.faultline.checker.Verdict.VALID, result.verdict(), () -> "seed " + seed + " (" + voters
                        + " voters): " + result.summary() + "\nreplay: ./mvnw -B -o -pl reference-server test"
                        + " -Dtest=ZabSimulationTest#simulatedWriteHistoriesAreLinearizable -Dzab.seed=" + seed);
            }
        }
    }

    /** The encoding is not vacuous: a history in which an acknowledged write vanished is rejected. */
    @Test
    void theCheckerRejectsAHistoryThatLostAnAcknowledgedWrite() {
        ZabSimulation sim = new ZabSimulation(7, ZabSimulation.Options.of(3, 0)).run();
        var history = new java.util.ArrayList<>(sim.history());
        assertEquals(io.faultline.checker.Verdict.VALID, linearizability(history).verdict());
        // Every server's final read now reports one write fewer than was acknowledged.
        for (int i = 0; i < history.size(); i++) {
            var op = history.get(i);
            if (op.f().equals("read") && op.type() == io.faultline.checker.history.OpType.OK) {
                java.util.List<?> v = (java.util.List<?>) op.value();
                history.set(i, op.withValue(java.util.List.of(v.get(0), ((Long) v.get(1)) - 1)));
            }
        }
        assertEquals(io.faultline.checker.Verdict.INVALID, linearizability(history).verdict());
    }

    @Test
    void faultFreeRunAcknowledgesEveryWriteInOneEpoch() {
        ZabSimulation.Options o = new ZabSimulation.Options(3, 1, 3000, 500, 0, false, 6, true, java.util.Set.of());
        ZabSimulation sim = new ZabSimulation(42, o).run();
        assertEquals(sim.writes.size(), sim.acknowledgedWrites(), "every write should be acknowledged without faults");
        assertTrue(sim.acknowledgedWrites() > 100);
        assertEquals(1, sim.globalSequence().stream().mapToLong(e -> Zxid.epoch(e.zxid())).distinct().count());
    }
}
