package io.faultline.workloads.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register workload's client against a real (embedded, standalone) Apache ZooKeeper. */
class RegisterWorkloadIT {
    @TempDir
    Path tmp;

    static TestOptions options(Path store, String readMode, Duration limit) {
        return new TestOptions("register-embedded", "zookeeper", "process", 1, 0, "register", 4, 200, limit, List.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 7, readMode, Duration.ofSeconds(2), Duration.ofSeconds(4),
                50, false, store);
    }

    @Test
    void recordsZxidsSessionsAndReadModesFromTheOfficialClient() throws Exception {
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper("127.0.4.1", tmp.resolve("zk"))) {
            TestResult r = new TestRunner((o, dir) -> zk, new PrintStream(PrintStream.nullOutputStream()))
                    .run(options(tmp.resolve("store"), "sync", Duration.ofSeconds(3)));
            List<Op> h = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops();
            // register ops; the workers' closes of their sessions at the end carry no reply zxid
            List<Op> oks = h.stream().filter(o -> o.type() == OpType.OK && o.process() < 1_000_000
                    && !o.f().equals("close-session")).toList();
            assertTrue(oks.size() > 300, oks.size() + " ok ops");
            assertTrue(h.stream().filter(o -> o.type() == OpType.OK && o.f().equals("close-session")).count() >= 4,
                    "each worker's session close is recorded");
            for (Op ok : oks) {
                assertNotNull(ok.session(), ok.toString());
                assertNotNull(ok.zxid(), ok.toString());
                assertEquals("n1", ok.node());
                assertNotNull(ok.key());
            }
            // a write's reply zxid is its own transaction's zxid
            for (Op w : oks) if (w.f().equals("write")) assertEquals(w.zxid(), w.get("mzxid"), w.toString());
            for (Op rd : oks) if (rd.f().equals("read")) {
                assertEquals("sync", rd.get("read-mode"));
                assertNotNull(rd.get("sync-zxid"));
            }
            Set<String> fs = oks.stream().map(Op::f).collect(Collectors.toSet());
            assertEquals(Set.of("read", "write", "cas"), fs);
            // some cas fail definitely (mismatch / bad-version), none are indeterminate on a healthy server
            assertTrue(h.stream().anyMatch(o -> o.type() == OpType.FAIL && o.f().equals("cas")));
            assertEquals(0, h.stream().filter(o -> o.type() == OpType.INFO).count());
            // keys advance every 50 ops
            assertTrue(oks.stream().map(Op::key).distinct().count() > 3);
            assertNotEquals(Verdict.INVALID, r.verdict(), r.explanation());
            for (CheckResult c : r.results()) if (c.checker().equals("linearizable") && !c.summary().contains("placeholder")) {
                assertEquals(Verdict.VALID, c.verdict(), r.explanation());
            }
        }
    }

    @Test
    void leaderReadsGoToTheLeaderAndAreCheckedAsLinearizable() throws Exception {
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper("127.0.4.4", tmp.resolve("zk"))) {
            TestResult r = new TestRunner((o, dir) -> zk, new PrintStream(PrintStream.nullOutputStream()))
                    .run(options(tmp.resolve("store"), "leader", Duration.ofSeconds(2)));
            List<Op> reads = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops().stream()
                    .filter(o -> o.f().equals("read") && o.type() == OpType.OK).toList();
            assertTrue(reads.size() > 20);
            for (Op rd : reads) {
                assertEquals("leader", rd.get("read-mode"));
                assertEquals("n1", rd.node());
            }
            assertNotEquals(Verdict.INVALID, r.verdict(), r.explanation());
        }
    }

    @Test
    void aServerCrashGivesIndeterminateOpsAndFreshProcesses() throws Exception {
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper("127.0.4.2", tmp.resolve("zk"))) {
            Thread crasher = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1500);
                    zk.stop();
                    Thread.sleep(2500);
                    zk.start();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            TestResult r = new TestRunner((o, dir) -> zk, new PrintStream(PrintStream.nullOutputStream()))
                    .run(options(tmp.resolve("store"), "plain", Duration.ofSeconds(6)));
            crasher.join();
            List<Op> h = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops();
            long infos = h.stream().filter(o -> o.type() == OpType.INFO).count();
            assertTrue(infos > 0, "writes in flight when the server died are info");
            for (Op i : h) if (i.type() == OpType.INFO) {
                assertTrue(Set.of("write", "cas").contains(i.f()), "reads never end as info: " + i);
                assertEquals(null, i.zxid());
            }
            // after an info the worker continues as a new process (process + concurrency)
            assertTrue(h.stream().anyMatch(o -> o.process() >= 4 && o.process() < 1_000_000), "new processes after info");
            // and the run goes on after the restart
            long lastOk = h.stream().filter(o -> o.type() == OpType.OK && o.process() < 1_000_000 && !o.f().equals("close-session"))
                    .mapToLong(Op::time).max().orElse(0);
            assertTrue(lastOk > 4_500_000_000L, "ops succeed again after the restart, last ok at " + lastOk);
            // session events were recorded on the event processes
            assertTrue(h.stream().anyMatch(o -> o.f().equals("session-event") && o.process() >= 1_000_000));
        }
    }
}
