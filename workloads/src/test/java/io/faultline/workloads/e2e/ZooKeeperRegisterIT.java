package io.faultline.workloads.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register workload, 3-node Apache ZooKeeper 3.9.4 on the process backend, partitions and kills. */
class ZooKeeperRegisterIT {
    @TempDir
    Path store;

    @Test
    void registerUnderPartitionsAndKills() throws Exception {
        EndToEnd.runAndCheck(EndToEnd.options("zookeeper", "process", store, 11));
    }
}
