package io.faultline.workloads.gen;

import io.faultline.workloads.gen.Step.Emit;
import io.faultline.workloads.gen.Step.Exhausted;
import io.faultline.workloads.gen.Step.Pending;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Runs a generator against a virtual clock with no real clients: each op takes a fixed latency.
 * Shows what a generator would do (and lets tests check combinators deterministically).
 */
public final class Simulation {
    /** One simulated op: who ran what, when it was invoked and when it completed. */
    public record SimOp(int thread, Invocation op, long invokedAt, long completedAt) {}

    private Simulation() {}

    /**
     * Runs {@code gen} with {@code threads} client threads (plus the nemesis thread if
     * {@code withNemesis}) until it is exhausted, {@code maxOps} were emitted, or virtual time passes
     * {@code horizonNanos}.
     */
    public static List<SimOp> run(Generator gen, int threads, boolean withNemesis, long seed,
                                  long latencyNanos, int maxOps, long horizonNanos) {
        record Wake(long at, int thread, long order) {}
        PriorityQueue<Wake> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.order, b.order));
        long[] order = {0};
        Ctx ctx = new Ctx(new SplittableRandom(seed), threads, withNemesis);
        for (int t = 0; t < threads; t++) queue.add(new Wake(0, t, order[0]++));
        if (withNemesis) queue.add(new Wake(0, GenContext.NEMESIS_THREAD, order[0]++));
        List<SimOp> out = new ArrayList<>();
        // completions pending: (time, thread) so in-flight drops at the right moment
        PriorityQueue<long[]> inflight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        while (!queue.isEmpty() && out.size() < maxOps) {
            Wake w = queue.poll();
            if (w.at > horizonNanos) break;
            ctx.now = w.at;
            while (!inflight.isEmpty() && inflight.peek()[0] <= ctx.now) {
                inflight.poll();
                ctx.inFlight--;
            }
            Step s = gen.next(ctx, w.thread);
            switch (s) {
                case Emit e -> {
                    long lat = w.thread == GenContext.NEMESIS_THREAD ? 0 : latencyNanos;
                    out.add(new SimOp(w.thread, e.op(), ctx.now, ctx.now + lat));
                    if (lat > 0) {
                        ctx.inFlight++;
                        inflight.add(new long[] {ctx.now + lat});
                    }
                    queue.add(new Wake(ctx.now + lat, w.thread, order[0]++));
                }
                case Pending p -> queue.add(new Wake(Math.max(p.untilNanos(), ctx.now + 1), w.thread, order[0]++));
                case Exhausted x -> { }
            }
        }
        return out;
    }

    private static final class Ctx implements GenContext, Gen.NemesisAware {
        final SplittableRandom random;
        final int threads;
        final boolean nemesis;
        long now;
        int inFlight;

        Ctx(SplittableRandom random, int threads, boolean nemesis) {
            this.random = random;
            this.threads = threads;
            this.nemesis = nemesis;
        }

        @Override public long nanos() { return now; }
        @Override public SplittableRandom random() { return random; }
        @Override public int threads() { return threads; }
        @Override public int inFlight() { return inFlight; }
        @Override public boolean hasNemesis() { return nemesis; }
    }
}
