package io.faultline.workloads.gen;

import java.util.SplittableRandom;

/**
 * What a generator may look at. The runner calls generators under one lock (as Jepsen's interpreter
 * does), so the context needs no synchronisation; all randomness comes from {@link #random()}, which
 * the runner seeds from --seed, so a run's op sequence is reproducible for the same call order.
 */
public interface GenContext {
    /** The thread id used for the nemesis. */
    int NEMESIS_THREAD = -1;

    /** Nanoseconds since the test started. */
    long nanos();

    /** The seeded source of all generator randomness. */
    SplittableRandom random();

    /** Number of client threads (ids 0 .. threads-1). */
    int threads();

    /** Client ops invoked and not yet completed, across all threads. */
    int inFlight();
}
