package io.faultline.workloads.gen;

/** A generator's answer to "what should this thread do now?". */
public sealed interface Step {
    /** Perform this operation now. */
    record Emit(Invocation op) implements Step {}

    /** Nothing yet: ask again at (or after) this time, nanoseconds since test start. */
    record Pending(long untilNanos) implements Step {}

    /** This generator has nothing more for this thread, ever. */
    record Exhausted() implements Step {}

    Exhausted EXHAUSTED = new Exhausted();

    static Step emit(Invocation op) {
        return new Emit(op);
    }

    static Step pendingUntil(long nanos) {
        return new Pending(nanos);
    }
}
