package io.faultline.workloads.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register workload, 3-node reference ensemble (ZAB) on the process backend, partitions and kills. */
class ReferenceRegisterIT {
    @TempDir
    Path store;

    @Test
    void registerUnderPartitionsAndKills() throws Exception {
        // the same bar as Apache ZooKeeper: writes and sync reads linearizable (sync goes through the leader)
        EndToEnd.runAndCheck(EndToEnd.options("reference", "process", store, 12));
    }
}
