package io.faultline.workloads.container;

import io.faultline.workloads.e2e.EndToEndAccess;
import io.faultline.workloads.runner.TestOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Register workload on the container backend against the reference ensemble (3 reference-server
 * containers, host networking, embedded Toxiproxy on every link), partitions and kills: the same bar
 * as Apache ZooKeeper in {@link ZooKeeperRegisterContainerIT}. Fails rather than skips without an engine.
 */
class ReferenceRegisterContainerIT {
    @TempDir
    Path store;

    @Test
    void registerUnderPartitionsAndKillsInContainers() throws Exception {
        TestOptions o = EndToEndAccess.options("reference", "container", store, 14);
        EndToEndAccess.runAndCheck(o);
    }
}
