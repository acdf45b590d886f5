package io.faultline.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.workloads.gen.Simulation.SimOp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class GenPropertiesTest {
    static final long MS = 1_000_000;

    static Generator workload() {
        return Gen.mix(
                Gen.repeat(r -> Invocation.of("read", null)),
                Gen.repeat(r -> Invocation.of("write", r.nextLong(5))),
                Gen.repeat(r -> Invocation.of("cas", List.of(r.nextLong(5), r.nextLong(5)))));
    }

    static Generator full(Duration limit) {
        return Gen.phases(
                Gen.timeLimit(limit, Gen.split(Gen.stagger(Duration.ofMillis(2), workload()),
                        Gen.nemesisSchedule(Duration.ofMillis(50), List.of("partition", "kill")))),
                Gen.clients(Gen.eachThread(t -> Gen.once(Invocation.of("read", null)))));
    }

    @Property(tries = 50)
    void sameSeedSameRun(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int threads) {
        List<SimOp> a = Simulation.run(full(Duration.ofMillis(300)), threads, true, seed, MS, 10_000, Long.MAX_VALUE);
        List<SimOp> b = Simulation.run(full(Duration.ofMillis(300)), threads, true, seed, MS, 10_000, Long.MAX_VALUE);
        assertEquals(a, b);
        assertFalse(a.isEmpty());
    }

    @Example
    void differentSeedsDiffer() {
        List<SimOp> a = Simulation.run(full(Duration.ofMillis(300)), 4, true, 1, MS, 10_000, Long.MAX_VALUE);
        List<SimOp> b = Simulation.run(full(Duration.ofMillis(300)), 4, true, 2, MS, 10_000, Long.MAX_VALUE);
        assertNotEquals(a, b);
    }

    @Property(tries = 50)
    void limitCapsTotalOps(@ForAll @IntRange(min = 0, max = 500) int n, @ForAll @IntRange(min = 1, max = 10) int threads,
                           @ForAll long seed) {
        List<SimOp> ops = Simulation.run(Gen.limit(n, workload()), threads, false, seed, MS, 100_000, Long.MAX_VALUE);
        assertEquals(n, ops.size());
    }

    @Property(tries = 50)
    void timeLimitEmitsNothingAfterDeadline(@ForAll @LongRange(min = 1, max = 200) long limitMs,
                                            @ForAll @IntRange(min = 1, max = 6) int threads, @ForAll long seed) {
        List<SimOp> ops = Simulation.run(Gen.timeLimit(Duration.ofMillis(limitMs), Gen.stagger(Duration.ofMillis(1), workload())),
                threads, false, seed, MS / 2, 1_000_000, Long.MAX_VALUE);
        assertTrue(ops.stream().allMatch(op -> op.invokedAt() < limitMs * MS));
        assertFalse(ops.isEmpty());
    }

    @Property(tries = 30)
    void staggerHoldsTheMeanRate(@ForAll @IntRange(min = 50, max = 2000) int ratePerSecond, @ForAll long seed) {
        // 16 threads with 1 ms ops can do 16k ops/s, so the rate is the only limit
        List<SimOp> ops = Simulation.run(Gen.timeLimit(Duration.ofSeconds(10), Gen.rate(ratePerSecond, workload())),
                16, false, seed, MS, 1_000_000, Long.MAX_VALUE);
        double expected = ratePerSecond * 10.0;
        assertTrue(ops.size() >= expected * 0.85 && ops.size() <= expected * 1.15, ops.size() + " ops, expected about " + expected);
    }

    @Property(tries = 30)
    void delaySpacesOpsExactly(@ForAll @LongRange(min = 1, max = 50) long dtMs, @ForAll @IntRange(min = 1, max = 6) int threads) {
        List<SimOp> ops = Simulation.run(Gen.limit(40, Gen.delay(Duration.ofMillis(dtMs), workload())),
                threads, false, 7, MS / 3, 1_000, Long.MAX_VALUE);
        assertEquals(40, ops.size());
        for (int i = 1; i < ops.size(); i++) {
            assertTrue(ops.get(i).invokedAt() - ops.get(i - 1).invokedAt() >= dtMs * MS);
        }
    }

    @Property(tries = 50)
    void phasesAreBarriers(@ForAll @IntRange(min = 1, max = 8) int threads, @ForAll @IntRange(min = 1, max = 200) int n,
                           @ForAll long seed) {
        Generator g = Gen.phases(
                Gen.limit(n, Gen.repeat(r -> Invocation.of("write", r.nextLong(10)))),
                Gen.eachThread(t -> Gen.once(Invocation.of("read", (long) t))));
        List<SimOp> ops = Simulation.run(g, threads, false, seed, 3 * MS, 100_000, Long.MAX_VALUE);
        List<SimOp> writes = ops.stream().filter(o -> o.op().f().equals("write")).toList();
        List<SimOp> reads = ops.stream().filter(o -> o.op().f().equals("read")).toList();
        assertEquals(n, writes.size());
        // each thread reads exactly once, after every write completed
        assertEquals(threads, reads.stream().map(SimOp::thread).collect(Collectors.toSet()).size());
        assertEquals(threads, reads.size());
        long lastWriteDone = writes.stream().mapToLong(SimOp::completedAt).max().orElse(0);
        assertTrue(reads.stream().allMatch(r -> r.invokedAt() >= lastWriteDone));
    }

    @Property(tries = 30)
    void mixEmitsOnlyItsParts(@ForAll long seed) {
        List<SimOp> ops = Simulation.run(Gen.limit(600, workload()), 3, false, seed, MS, 10_000, Long.MAX_VALUE);
        Map<String, Long> byF = ops.stream().collect(Collectors.groupingBy(o -> o.op().f(), Collectors.counting()));
        assertEquals(Set.of("read", "write", "cas"), byF.keySet());
        assertTrue(byF.values().stream().allMatch(c -> c >= 100 && c <= 300), byF.toString());
    }

    @Property(tries = 30)
    void cycleAndOnceRepeatInOrder(@ForAll @IntRange(min = 1, max = 30) int rounds) {
        Generator g = Gen.limit(3L * rounds, Gen.cycle(() -> Gen.seq(List.of(
                Invocation.of("a", null), Invocation.of("b", null), Invocation.of("c", null)))));
        List<String> fs = Simulation.run(g, 2, false, 1, MS, 10_000, Long.MAX_VALUE).stream().map(o -> o.op().f()).toList();
        assertEquals(3 * rounds, fs.size());
        for (int i = 0; i < fs.size(); i++) assertEquals(List.of("a", "b", "c").get(i % 3), fs.get(i));
    }

    @Property(tries = 30)
    void nemesisScheduleAlternatesStartAndStop(@ForAll long seed) {
        Generator g = Gen.split(Gen.stagger(Duration.ofMillis(5), workload()),
                Gen.timeLimit(Duration.ofSeconds(2), Gen.nemesisSchedule(Duration.ofMillis(100), List.of("partition", "kill", "pause"))));
        List<SimOp> nem = Simulation.run(g, 2, true, seed, MS, 1_000_000, Duration.ofSeconds(3).toNanos()).stream()
                .filter(o -> o.thread() == GenContext.NEMESIS_THREAD).toList();
        assertTrue(nem.size() >= 18 && nem.size() <= 20, nem.size() + " nemesis ops");
        Map<Integer, String> started = new HashMap<>();
        for (int i = 0; i < nem.size(); i++) {
            String f = nem.get(i).op().f();
            if (i % 2 == 0) {
                assertTrue(f.startsWith("start-"), f);
                started.put(i, f.substring(6));
            } else {
                assertEquals("stop-" + started.get(i - 1), f);
                assertTrue(nem.get(i).invokedAt() - nem.get(i - 1).invokedAt() >= 100 * MS);
            }
        }
    }

    @Property(tries = 20)
    void clientsNeverGiveOpsToTheNemesis(@ForAll long seed) {
        List<SimOp> ops = Simulation.run(Gen.limit(100, Gen.clients(workload())), 3, true, seed, MS, 1_000, Long.MAX_VALUE);
        assertEquals(100, ops.size());
        assertTrue(ops.stream().allMatch(o -> o.thread() != GenContext.NEMESIS_THREAD));
    }
}
