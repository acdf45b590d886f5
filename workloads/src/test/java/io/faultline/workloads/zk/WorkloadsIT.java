package io.faultline.workloads.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryFiles;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every ZooKeeper workload against a healthy (embedded) Apache ZooKeeper: ops succeed and the checkers agree. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadsIT {
    @TempDir
    static Path tmp;
    EmbeddedZooKeeper zk;

    @BeforeAll
    void start() throws Exception {
        zk = new EmbeddedZooKeeper("127.0.4.3", tmp.resolve("zk"));
    }

    @AfterAll
    void stop() {
        if (zk != null) zk.close();
    }

    @ParameterizedTest
    @CsvSource({
            "set,     add read,                          set",
            "counter, add read,                          counter",
            "queue,   enqueue dequeue drain,             queue",
            "lock,    acquire release,                   lock",
            "session, create exists close-session,       session",
    })
    void workloadRunsAndChecksValid(String workload, String fs, String checker) throws Exception {
        TestOptions o = new TestOptions("it-" + workload, "zookeeper", "process", 1, 0, workload, 3, 100,
                Duration.ofSeconds(3), List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), 5, "plain",
                Duration.ofSeconds(2), Duration.ofSeconds(4), 100, false, tmp.resolve("store"));
        TestResult r = new TestRunner((opts, dir) -> new NonClosing(zk), new PrintStream(PrintStream.nullOutputStream())).run(o);
        List<Op> h = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops();
        // the workload's own ops, not the workers' closes of their sessions (closed-by: worker)
        Set<String> okFs = h.stream().filter(op -> op.type() == OpType.OK && op.process() < 1_000_000 && op.get("closed-by") == null)
                .map(Op::f).collect(Collectors.toSet());
        for (String f : fs.trim().split(" ")) assertTrue(okFs.contains(f), workload + ": no ok " + f + " in " + okFs);
        assertFalse(r.results().isEmpty());
        assertTrue(r.results().stream().anyMatch(c -> c.checker().equals(checker)), r.explanation());
        for (CheckResult c : r.results()) assertEquals(Verdict.VALID, c.verdict(), r.explanation());
    }

    /** The shared server outlives each run. */
    record NonClosing(EmbeddedZooKeeper zk) implements io.faultline.workloads.runner.SystemUnderTest {
        @Override public String describe() { return zk.describe(); }
        @Override public List<io.faultline.workloads.workload.Endpoint> endpoints() { return zk.endpoints(); }
        @Override public io.faultline.workloads.workload.Endpoint leader() { return zk.leader(); }
        @Override public io.faultline.workloads.runner.NemesisDriver nemesis(List<String> f, long s, Path e) { return zk.nemesis(f, s, e); }
        @Override public void awaitHealthy(Duration t) {}
        @Override public void collectLogs(Path d) {}
        @Override public void close() {}
    }
}
