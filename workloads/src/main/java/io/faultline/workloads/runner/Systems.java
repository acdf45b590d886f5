package io.faultline.workloads.runner;

import java.nio.file.Path;

/** Starts the system named by --system on the backend named by --backend. */
public final class Systems implements SystemUnderTest.Factory {
    @Override
    public SystemUnderTest start(TestOptions o, Path runDir) throws Exception {
        return switch (o.system()) {
            case "none" -> SystemUnderTest.NONE;
            case "reference", "zookeeper" -> ChaosSystem.start(o, runDir);
            default -> throw new IllegalArgumentException("unknown system '" + o.system() + "'");
        };
    }
}
