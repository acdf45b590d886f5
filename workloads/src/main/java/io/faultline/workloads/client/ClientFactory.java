package io.faultline.workloads.client;

/** Opens clients for workers. Implementations are shared by all workers and must be thread-safe. */
public interface ClientFactory {
    /**
     * Opens a client for {@code worker} (0-based thread id), which is now logical process
     * {@code process}. {@code events} records notifications and session events (history-format.md §8).
     */
    Client open(int worker, long process, EventSink events) throws Exception;

    /** Once before the run, e.g. to create parent znodes. */
    default void setUp() throws Exception {}

    /** Once after the run. */
    default void tearDown() {}
}
