package io.faultline.workloads.runner;

import io.faultline.workloads.workload.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A running system to test: where clients connect, how to hurt it, and how to take it down. */
public interface SystemUnderTest extends AutoCloseable {
    /** One line: what runs (system, version, nodes, backend). */
    String describe();

    /** Client endpoints, one per node (clients connect through the node's proxy). */
    List<Endpoint> endpoints();

    /** The leader's endpoint now, or null when unknown (no quorum, or not a ZAB ensemble). */
    Endpoint leader();

    /** The fault injector for these fault names, recording what it did into {@code events}. */
    NemesisDriver nemesis(List<String> faults, long seed, Path events) throws Exception;

    /** Waits until the system serves clients again (after healing). */
    void awaitHealthy(Duration timeout) throws Exception;

    /** Copies node logs into {@code dir}. */
    void collectLogs(Path dir);

    /** Tears the system down. */
    @Override
    void close();

    /** Starts systems from test options. */
    interface Factory {
        SystemUnderTest start(TestOptions options, Path runDir) throws Exception;
    }

    /** No system at all: for the no-op workload (harness benchmark). */
    SystemUnderTest NONE = new SystemUnderTest() {
        @Override public String describe() { return "no system (no-op clients)"; }
        @Override public List<Endpoint> endpoints() { return List.of(new Endpoint("none", "")); }
        @Override public Endpoint leader() { return null; }
        @Override public NemesisDriver nemesis(List<String> faults, long seed, Path events) { return NemesisDriver.NONE; }
        @Override public void awaitHealthy(Duration timeout) {}
        @Override public void collectLogs(Path dir) {}
        @Override public void close() {}
    };
}
