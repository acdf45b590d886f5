package io.faultline.checker.jepsen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Concurrent simulations of a correct set, FIFO queue and counter: each op takes effect at a random
 * point between its invocation and completion; some ops crash (info) after or before taking effect.
 * Their histories pass; with one injected fault they fail with the matching anomaly.
 */
class JepsenCheckersPropertiesTest {

    /** The simulated object: applies an op's effect and returns its result (null result = fail). */
    private interface Sut {
        Object apply(String f, Object arg);
    }

    private record Spec(String f, Object arg) {}

    private static final class InFlight {
        final long process;
        final Spec spec;
        boolean applied;
        Object result;

        InFlight(long process, Spec spec) {
            this.process = process;
            this.spec = spec;
        }
    }

    /** Runs {@code steps} random steps of {@code processes} clients against the object. */
    private static List<Op> simulate(long seed, int processes, int steps, Sut sut, Function<Random, Spec> next,
                                     List<Spec> finalOps) {
        Random rnd = new Random(seed);
        List<Op> ops = new ArrayList<>();
        InFlight[] inFlight = new InFlight[processes];
        long[] processId = new long[processes];
        for (int i = 0; i < processes; i++) processId[i] = i;
        long nextProcess = processes;
        for (int step = 0; step < steps; step++) {
            int i = rnd.nextInt(processes);
            InFlight op = inFlight[i];
            if (op == null) {
                Spec spec = next.apply(rnd);
                inFlight[i] = new InFlight(processId[i], spec);
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, processId[i], spec.f, spec.arg, null, null, null,
                        null, null));
            } else if (!op.applied) {
                op.applied = true;
                op.result = sut.apply(op.spec.f, op.spec.arg);
            } else {
                OpType type = rnd.nextInt(20) == 0 ? OpType.INFO : op.result == null ? OpType.FAIL : OpType.OK;
                Object value = type == OpType.OK ? op.result : op.spec.arg;
                ops.add(new Op(ops.size(), ops.size(), type, op.process, op.spec.f, value, null, null, null, null, null));
                inFlight[i] = null;
                if (type == OpType.INFO) processId[i] = nextProcess++;
            }
        }
        for (int i = 0; i < processes; i++) { // crash whatever is still in flight, applied or not
            if (inFlight[i] != null && rnd.nextBoolean()) {
                inFlight[i].result = inFlight[i].applied ? inFlight[i].result : null;
                ops.add(new Op(ops.size(), ops.size(), OpType.INFO, inFlight[i].process, inFlight[i].spec.f,
                        inFlight[i].spec.arg, null, null, null, null, null));
            }
        }
        for (Spec spec : finalOps) {
            ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, nextProcess, spec.f, spec.arg, null, null, null, null, null));
            ops.add(new Op(ops.size(), ops.size(), OpType.OK, nextProcess, spec.f, sut.apply(spec.f, spec.arg), null, null,
                    null, null, null));
        }
        return ops;
    }

    private static List<Op> setHistory(long seed, int processes, int steps, boolean loseOne) {
        LinkedHashSet<Long> set = new LinkedHashSet<>();
        long[] next = {0};
        Sut sut = (f, arg) -> {
            if (f.equals("add")) {
                set.add((Long) arg);
                return arg;
            }
            return new ArrayList<>(set);
        };
        List<Op> ops = new ArrayList<>(simulate(seed, processes, steps, sut,
                rnd -> rnd.nextInt(5) == 0 ? new Spec("read", null) : new Spec("add", next[0]++), List.of()));
        if (loseOne) {
            // an acknowledged add that no later read contains
            ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, 999, "add", -1L, null, null, null, null, null));
            ops.add(new Op(ops.size(), ops.size(), OpType.OK, 999, "add", -1L, null, null, null, null, null));
        }
        ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, 998, "read", null, null, null, null, null, null));
        ops.add(new Op(ops.size(), ops.size(), OpType.OK, 998, "read", new ArrayList<>(set), null, null, null, null, null));
        return ops;
    }

    @Property(tries = 100)
    void correctSetPassesAndALostAddIsFound(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int processes,
                                            @ForAll @IntRange(min = 0, max = 600) int steps) {
        CheckResult r = new SetChecker().check(setHistory(seed, processes, steps, false));
        assertEquals(Verdict.VALID, r.verdict(), r.summary() + " " + r.anomalies());
        CheckResult bad = new SetChecker().check(setHistory(seed, processes, steps, true));
        assertEquals(Verdict.INVALID, bad.verdict());
        assertEquals(List.of("lost"), bad.anomalies().stream().map(a -> a.kind()).distinct().toList());
    }

    private static List<Op> queueHistory(long seed, int processes, int steps, boolean duplicate) {
        ArrayDeque<Long> q = new ArrayDeque<>();
        long[] next = {0};
        Sut sut = (f, arg) -> switch (f) {
            case "enqueue" -> {
                q.add((Long) arg);
                yield arg;
            }
            case "dequeue" -> q.poll(); // null: empty, a fail
            default -> {
                List<Long> all = new ArrayList<>(q);
                q.clear();
                yield all;
            }
        };
        List<Op> ops = simulate(seed, processes, steps, sut,
                rnd -> rnd.nextBoolean() ? new Spec("enqueue", next[0]++) : new Spec("dequeue", null),
                List.of(new Spec("drain", null)));
        if (duplicate) {
            Object again = null;
            for (Op op : ops) if (op.type() == OpType.OK && op.f().equals("dequeue")) again = op.value();
            if (again == null) return null;
            ops = new ArrayList<>(ops);
            ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, 997, "dequeue", null, null, null, null, null, null));
            ops.add(new Op(ops.size(), ops.size(), OpType.OK, 997, "dequeue", again, null, null, null, null, null));
        }
        return ops;
    }

    @Property(tries = 100)
    void correctFifoQueuePassesAndADoubleDequeueIsFound(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 8) int processes,
                                                       @ForAll @IntRange(min = 0, max = 600) int steps) {
        List<Op> clean = queueHistory(seed, processes, steps, false);
        for (QueueChecker c : List.of(new QueueChecker(true), new QueueChecker(false))) {
            CheckResult r = c.check(clean);
            assertEquals(Verdict.VALID, r.verdict(), r.summary() + " " + r.anomalies());
        }
        List<Op> bad = queueHistory(seed, processes, steps, true);
        if (bad == null) return; // nothing was dequeued: nothing to duplicate
        CheckResult r = new QueueChecker(false).check(bad);
        assertEquals(List.of("duplicated"), r.anomalies().stream().map(a -> a.kind()).distinct().toList());
    }

    private static List<Op> counterHistory(long seed, int processes, int steps, long skew) {
        long[] value = {0};
        Sut sut = (f, arg) -> {
            if (f.equals("add")) {
                value[0] += (Long) arg;
                return arg;
            }
            return value[0] + skew;
        };
        return simulate(seed, processes, steps, sut,
                rnd -> rnd.nextInt(3) == 0 ? new Spec("read", null) : new Spec("add", (long) (1 + rnd.nextInt(3))),
                List.of(new Spec("read", null)));
    }

    @Property(tries = 100)
    void correctCounterPassesAndAnImpossibleReadIsFound(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 8) int processes,
                                                       @ForAll @IntRange(min = 0, max = 600) int steps) {
        CheckResult r = new CounterChecker().check(counterHistory(seed, processes, steps, 0));
        assertEquals(Verdict.VALID, r.verdict(), r.summary() + " " + r.anomalies());
        // every read 1,000,000 too high: above any sum of the adds
        CheckResult bad = new CounterChecker().check(counterHistory(seed, processes, steps, 1_000_000));
        assertEquals(Verdict.INVALID, bad.verdict());
        assertTrue(bad.anomalies().stream().allMatch(a -> a.kind().equals("counter-out-of-bounds")));
    }
}
