package io.faultline.workloads.runner;

import java.nio.file.Path;

/** A cluster run by the chaos module (processes or containers, Toxiproxy on every link). */
final class ChaosSystem {
    private ChaosSystem() {}

    static SystemUnderTest start(TestOptions o, Path runDir) {
        throw new UnsupportedOperationException("cluster backends are not wired in yet");
    }
}
