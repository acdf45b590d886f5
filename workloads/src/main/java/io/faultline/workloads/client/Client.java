package io.faultline.workloads.client;

import io.faultline.workloads.gen.Invocation;

/**
 * One worker's connection to the system under test (for ZooKeeper: one session). Used by one thread.
 * Must not throw for errors of the system under test: those are fail or info completions.
 */
public interface Client extends AutoCloseable {
    /** Performs one op and says how it ended. A thrown exception is recorded as info. */
    Completion invoke(Invocation op) throws Exception;

    /** The session id to put on the invoke entry, or null. */
    default Long sessionId() {
        return null;
    }

    /** The server this client talks to (for the invoke entry), or null. */
    default String node() {
        return null;
    }

    /** Called right after the completion of each op was recorded (clients that order events after it). */
    default void completionRecorded() {}

    /** The client cannot go on (e.g. its session expired): the worker opens a new one. */
    default boolean broken() {
        return false;
    }

    @Override
    void close();
}
