package io.faultline.checker.bench;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates linearizable register histories by simulation: each op takes effect at a random point between its
 * invocation and completion. Crashes (info) leave the op's effect undecided: it may already have happened, may
 * happen later (any time), or never; the crashed process is replaced by a fresh process id, as in Jepsen.
 * A cas whose expected value does not match fails (no effect).
 */
public final class HistoryGenerator {

    /**
     * @param processes       concurrent client processes
     * @param ops             operations to invoke
     * @param keys            independent keys (1: no key field)
     * @param crashProbability chance that an in-flight op crashes instead of progressing
     * @param uniqueWrites    every write/cas writes a fresh value (otherwise values from 0..valueDomain-1)
     * @param valueDomain     values for non-unique writes
     * @param cas             include cas ops
     * @param seed            random seed
     */
    public record Spec(int processes, int ops, int keys, double crashProbability, boolean uniqueWrites, int valueDomain,
                       boolean cas, long seed) {
    }

    private static final class InFlight {
        final long process;
        final String f;
        final Object key;
        final Object input;
        boolean applied;
        Object result;
        boolean failed;

        InFlight(long process, String f, Object key, Object input) {
            this.process = process;
            this.f = f;
            this.key = key;
            this.input = input;
        }
    }

    private HistoryGenerator() {
    }

    public static List<Op> registerHistory(Spec spec) {
        SplittableRandom rnd = new SplittableRandom(spec.seed());
        List<Op> out = new ArrayList<>(spec.ops() * 2 + 16);
        Map<Object, Long> state = new HashMap<>();
        long[] procIds = new long[spec.processes()];
        for (int i = 0; i < procIds.length; i++) procIds[i] = i;
        long nextProc = procIds.length;
        InFlight[] slots = new InFlight[spec.processes()];
        List<InFlight> ghosts = new ArrayList<>();
        int invoked = 0, busy = 0;
        long nextValue = 1;
        long time = 0;
        while (invoked < spec.ops() || busy > 0) {
            time += 1 + rnd.nextInt(1000);
            if (!ghosts.isEmpty() && rnd.nextInt(20) == 0) {
                apply(ghosts.remove(rnd.nextInt(ghosts.size())), state);
                continue;
            }
            int s = rnd.nextInt(slots.length);
            InFlight op = slots[s];
            if (op == null) {
                if (invoked == spec.ops()) continue;
                Object key = spec.keys() > 1 ? (Object) (long) rnd.nextInt(spec.keys()) : null;
                int kind = rnd.nextInt(spec.cas() ? 5 : 4);
                String f;
                Object input;
                if (kind < 2) {
                    f = "read";
                    input = null;
                } else if (kind < 4) {
                    f = "write";
                    input = spec.uniqueWrites() ? nextValue++ : (long) rnd.nextInt(spec.valueDomain());
                } else {
                    f = "cas";
                    long current = state.getOrDefault(key, 0L);
                    long expected = rnd.nextBoolean() ? current : spec.uniqueWrites() ? Math.max(0, nextValue - 1 - rnd.nextInt(3))
                            : rnd.nextInt(spec.valueDomain());
                    long replacement = spec.uniqueWrites() ? nextValue++ : rnd.nextInt(spec.valueDomain());
                    input = List.of(expected, replacement);
                }
                op = new InFlight(procIds[s], f, key, input);
                slots[s] = op;
                busy++;
                invoked++;
                out.add(new Op(out.size(), time, OpType.INVOKE, op.process, f, input, key, null, null, null, Map.of()));
            } else if (rnd.nextDouble() < spec.crashProbability()) {
                out.add(new Op(out.size(), time, OpType.INFO, op.process, op.f, op.input, op.key, null, null, null, Map.of("error", "timeout")));
                if (!op.applied && rnd.nextBoolean()) ghosts.add(op);
                slots[s] = null;
                busy--;
                procIds[s] = nextProc++;
            } else if (!op.applied) {
                apply(op, state);
            } else {
                Object value = op.f.equals("read") ? op.result : op.input;
                out.add(new Op(out.size(), time, op.failed ? OpType.FAIL : OpType.OK, op.process, op.f, value, op.key, null, null, null, Map.of()));
                slots[s] = null;
                busy--;
            }
        }
        return out;
    }

    private static void apply(InFlight op, Map<Object, Long> state) {
        op.applied = true;
        long current = state.getOrDefault(op.key, 0L);
        switch (op.f) {
            case "read" -> op.result = current;
            case "write" -> state.put(op.key, (Long) op.input);
            default -> {
                List<?> t = (List<?>) op.input;
                if (((Long) t.get(0)) == current) state.put(op.key, (Long) t.get(1));
                else op.failed = true;
            }
        }
    }
}
