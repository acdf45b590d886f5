package io.faultline.workloads.runner;

import io.faultline.workloads.gen.Invocation;
import java.util.List;

/** Carries out the nemesis ops a generator emits (start-partition, stop-kill, ...). */
public interface NemesisDriver extends AutoCloseable {
    /** Performs the op; returns what was done (for the history value), e.g. the partition's halves. */
    Object invoke(Invocation op) throws Exception;

    /** Ends every fault still active (final phase). */
    void healAll() throws Exception;

    /** Faults active now, for the progress line. */
    List<String> activeFaults();

    @Override
    default void close() {}

    NemesisDriver NONE = new NemesisDriver() {
        @Override public Object invoke(Invocation op) { return null; }
        @Override public void healAll() {}
        @Override public List<String> activeFaults() { return List.of(); }
    };
}
