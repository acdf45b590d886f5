package io.faultline.workloads.container;

import io.faultline.workloads.runner.TestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Register workload on the container backend (3 Apache ZooKeeper containers, host networking,
 * embedded Toxiproxy on every link), partitions and kills. Needs the Docker engine and the base
 * image (ci/test.sh provisions both); it fails rather than skips without them.
 */
class ZooKeeperRegisterContainerIT {
    @TempDir
    Path store;

    @Test
    void registerUnderPartitionsAndKillsInContainers() throws Exception {
        TestOptions o = io.faultline.workloads.e2e.EndToEndAccess.options("zookeeper", "container", store, 13);
        io.faultline.workloads.e2e.EndToEndAccess.runAndCheck(o);
    }
}
