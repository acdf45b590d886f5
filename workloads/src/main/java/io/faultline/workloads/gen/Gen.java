package io.faultline.workloads.gen;

import io.faultline.workloads.gen.Step.Emit;
import io.faultline.workloads.gen.Step.Exhausted;
import io.faultline.workloads.gen.Step.Pending;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Jepsen's generator combinators. Every generator is stateful and single-use: build a fresh one per
 * test. All randomness comes from the context's seeded random, so runs are reproducible.
 */
public final class Gen {
    private Gen() {}

    /** How long a thread waiting on a barrier (phases) sleeps before asking again. */
    static final long BARRIER_POLL_NANOS = 1_000_000;

    // ---------------------------------------------------------------- sources

    /** Emits {@code op} once (to whichever thread asks first), then is exhausted. */
    public static Generator once(Invocation op) {
        Objects.requireNonNull(op);
        return new Generator() {
            boolean done;

            @Override
            public Step next(GenContext ctx, int thread) {
                if (done) return Step.EXHAUSTED;
                done = true;
                return Step.emit(op);
            }
        };
    }

    /** Emits these ops in order, one per request, then is exhausted. */
    public static Generator seq(List<Invocation> ops) {
        List<Invocation> copy = List.copyOf(ops);
        return new Generator() {
            int i;

            @Override
            public Step next(GenContext ctx, int thread) {
                return i < copy.size() ? Step.emit(copy.get(i++)) : Step.EXHAUSTED;
            }
        };
    }

    /** An endless generator: each op is made by {@code fn} from the seeded random. */
    public static Generator repeat(Function<SplittableRandom, Invocation> fn) {
        return (ctx, thread) -> Step.emit(fn.apply(ctx.random()));
    }

    /** Builds the generator on first use, from the seeded random (e.g. to pick a fault). */
    public static Generator defer(Function<SplittableRandom, Generator> factory) {
        return new Generator() {
            Generator g;

            @Override
            public Step next(GenContext ctx, int thread) {
                if (g == null) g = factory.apply(ctx.random());
                return g.next(ctx, thread);
            }
        };
    }

    /** Emits nothing for {@code d} (from its first request), then is exhausted. */
    public static Generator sleep(Duration d) {
        long dn = d.toNanos();
        return new Generator() {
            long end = -1;

            @Override
            public Step next(GenContext ctx, int thread) {
                if (end < 0) end = ctx.nanos() + dn;
                return ctx.nanos() < end ? Step.pendingUntil(end) : Step.EXHAUSTED;
            }
        };
    }

    // ---------------------------------------------------------------- combinators

    /** Each op comes from a generator chosen at random; exhausted generators drop out. */
    public static Generator mix(Generator... gens) {
        List<Generator> live = new ArrayList<>(List.of(gens));
        return (ctx, thread) -> {
            while (!live.isEmpty()) {
                int i = ctx.random().nextInt(live.size());
                Step s = live.get(i).next(ctx, thread);
                if (s instanceof Exhausted) {
                    live.remove(i);
                    continue;
                }
                return s;
            }
            return Step.EXHAUSTED;
        };
    }

    /** At most {@code n} ops in total, across all threads. */
    public static Generator limit(long n, Generator g) {
        return new Generator() {
            long emitted;

            @Override
            public Step next(GenContext ctx, int thread) {
                if (emitted >= n) return Step.EXHAUSTED;
                Step s = g.next(ctx, thread);
                if (s instanceof Emit) emitted++;
                return s;
            }
        };
    }

    /** Ops only until {@code d} after this generator is first asked; exhausted from then on. */
    public static Generator timeLimit(Duration d, Generator g) {
        long dn = d.toNanos();
        return new Generator() {
            long deadline = -1;

            @Override
            public Step next(GenContext ctx, int thread) {
                long now = ctx.nanos();
                if (deadline < 0) deadline = now + dn;
                if (now >= deadline) return Step.EXHAUSTED;
                Step s = g.next(ctx, thread);
                if (s instanceof Pending p) return Step.pendingUntil(Math.min(p.untilNanos(), deadline));
                return s;
            }
        };
    }

    /**
     * Spaces ops by a uniformly random delay in [0, 2*dt] across all threads, so the mean total rate
     * is 1/dt (Jepsen's stagger).
     */
    public static Generator stagger(Duration dt, Generator g) {
        long dn = dt.toNanos();
        return spaced(g, r -> dn <= 0 ? 0 : r.nextLong(2 * dn + 1));
    }

    /** About {@code opsPerSecond} ops per second in total: stagger with mean spacing 1/rate. */
    public static Generator rate(double opsPerSecond, Generator g) {
        if (!(opsPerSecond > 0)) throw new IllegalArgumentException("rate must be > 0, got " + opsPerSecond);
        return stagger(Duration.ofNanos(Math.round(1e9 / opsPerSecond)), g);
    }

    /** Exactly {@code dt} between successive ops, across all threads. */
    public static Generator delay(Duration dt, Generator g) {
        long dn = dt.toNanos();
        return spaced(g, r -> dn);
    }

    private static Generator spaced(Generator g, java.util.function.ToLongFunction<SplittableRandom> gap) {
        return new Generator() {
            long nextAt = Long.MIN_VALUE;

            @Override
            public Step next(GenContext ctx, int thread) {
                long now = ctx.nanos();
                if (now < nextAt) return Step.pendingUntil(nextAt);
                Step s = g.next(ctx, thread);
                if (s instanceof Emit) nextAt = now + gap.applyAsLong(ctx.random());
                return s;
            }
        };
    }

    /** Runs generators one after another with no barrier: the next starts when the current is exhausted. */
    public static Generator concat(Generator... gens) {
        List<Generator> list = List.of(gens);
        return new Generator() {
            int i;

            @Override
            public Step next(GenContext ctx, int thread) {
                while (i < list.size()) {
                    Step s = list.get(i).next(ctx, thread);
                    if (!(s instanceof Exhausted)) return s;
                    i++;
                }
                return Step.EXHAUSTED;
            }
        };
    }

    /**
     * Jepsen's phases: each generator runs to exhaustion for every participating thread, and the next
     * begins only once all ops of the previous one have completed (a barrier).
     */
    public static Generator phases(Generator... gens) {
        List<Generator> list = List.of(gens);
        return new Generator() {
            int i;
            final Set<Integer> exhaustedIn = new HashSet<>();

            @Override
            public Step next(GenContext ctx, int thread) {
                while (i < list.size()) {
                    if (!exhaustedIn.contains(thread)) {
                        Step s = list.get(i).next(ctx, thread);
                        if (!(s instanceof Exhausted)) return s;
                        exhaustedIn.add(thread);
                    }
                    if (exhaustedIn.size() < participants(ctx) || ctx.inFlight() > 0) {
                        return Step.pendingUntil(ctx.nanos() + BARRIER_POLL_NANOS);
                    }
                    i++;
                    exhaustedIn.clear();
                }
                return Step.EXHAUSTED;
            }
        };
    }

    private static int participants(GenContext ctx) {
        return ctx.threads() + (ctx instanceof NemesisAware n && n.hasNemesis() ? 1 : 0);
    }

    /** A context that says whether a nemesis thread takes part (it then counts in barriers). */
    public interface NemesisAware {
        boolean hasNemesis();
    }

    /** Jepsen's each-thread: every thread gets its own copy, made by {@code factory}. */
    public static Generator eachThread(IntFunction<Generator> factory) {
        Map<Integer, Generator> perThread = new HashMap<>();
        return (ctx, thread) -> perThread.computeIfAbsent(thread, factory::apply).next(ctx, thread);
    }

    /** Restarts with a fresh generator from {@code factory} whenever the current one is exhausted. */
    public static Generator cycle(Supplier<Generator> factory) {
        return new Generator() {
            Generator current = factory.get();

            @Override
            public Step next(GenContext ctx, int thread) {
                Step s = current.next(ctx, thread);
                if (!(s instanceof Exhausted)) return s;
                current = factory.get();
                // one restart per request: a factory whose generators are born exhausted ends the cycle
                return current.next(ctx, thread);
            }
        };
    }

    /** Only client threads get ops from {@code g}; the nemesis thread sees it exhausted. */
    public static Generator clients(Generator g) {
        return (ctx, thread) -> thread == GenContext.NEMESIS_THREAD ? Step.EXHAUSTED : g.next(ctx, thread);
    }

    /** Only the nemesis thread gets ops from {@code g}; client threads see it exhausted. */
    public static Generator nemesis(Generator g) {
        return (ctx, thread) -> thread == GenContext.NEMESIS_THREAD ? g.next(ctx, thread) : Step.EXHAUSTED;
    }

    /** Client threads ask {@code clientGen}, the nemesis thread asks {@code nemesisGen}. */
    public static Generator split(Generator clientGen, Generator nemesisGen) {
        return (ctx, thread) -> thread == GenContext.NEMESIS_THREAD
                ? nemesisGen.next(ctx, thread) : clientGen.next(ctx, thread);
    }

    /** Rewrites every emitted op. */
    public static Generator map(Generator g, UnaryOperator<Invocation> fn) {
        return (ctx, thread) -> {
            Step s = g.next(ctx, thread);
            return s instanceof Emit e ? Step.emit(fn.apply(e.op())) : s;
        };
    }

    /**
     * A nemesis schedule: forever, wait {@code interval}, start a fault chosen at random from
     * {@code faults} ({@code start-<fault>}), wait {@code interval}, stop it ({@code stop-<fault>}).
     */
    public static Generator nemesisSchedule(Duration interval, List<String> faults) {
        if (faults.isEmpty()) return (ctx, thread) -> Step.EXHAUSTED;
        List<String> copy = List.copyOf(faults);
        return cycle(() -> defer(r -> {
            String fault = copy.get(r.nextInt(copy.size()));
            return concat(sleep(interval), once(Invocation.of("start-" + fault, null)),
                    sleep(interval), once(Invocation.of("stop-" + fault, null)));
        }));
    }
}
