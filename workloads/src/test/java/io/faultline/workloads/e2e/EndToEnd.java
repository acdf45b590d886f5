package io.faultline.workloads.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryFiles;
import io.faultline.workloads.runner.Systems;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Shared body of the end-to-end register tests: one run, then what every such run must show. */
final class EndToEnd {
    /** Main-phase length: 20 s by default (CI budget), longer with -Dfaultline.e2e.seconds=30. */
    static final Duration LIMIT = Duration.ofSeconds(Long.getLong("faultline.e2e.seconds", 20));

    private EndToEnd() {}

    static TestOptions options(String system, String backend, Path store, long seed) {
        return new TestOptions("e2e-" + system + "-" + backend, system, backend, 3, 0, "register", 5, 40, LIMIT,
                List.of("partition", "kill"), Duration.ofSeconds(3), Duration.ofSeconds(3), seed, "sync",
                Duration.ofSeconds(3), Duration.ofSeconds(6), 100, false, store);
    }

    /** Runs and checks: writes (write, cas) and sync reads must be linearizable; the session checks cover the rest. */
    static TestResult runAndCheck(TestOptions o) throws Exception {
        TestResult r = new TestRunner(new Systems(), System.out).run(o);
        List<Op> h = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops();
        // the nemesis really acted: partitions and kills started and stopped, then a heal
        assertTrue(h.stream().anyMatch(op -> op.isNemesis() && op.f().equals("start-partition"))
                || h.stream().anyMatch(op -> op.isNemesis() && op.f().equals("start-kill")), "nemesis ops in the history");
        assertTrue(h.stream().anyMatch(op -> op.isNemesis() && op.f().equals("heal-all")));
        // clients made progress and recorded what the checkers need
        long ok = h.stream().filter(op -> op.type() == OpType.OK && op.process() < 1_000_000 && op.get("closed-by") == null).count();
        assertTrue(ok > LIMIT.toSeconds() * 10, ok + " ok ops");
        // (a worker's close of a session it gives up has no reply zxid: when it took effect is unknown)
        assertTrue(h.stream().filter(op -> op.type() == OpType.OK && op.process() < 1_000_000 && !op.f().equals("close-session"))
                .allMatch(op -> op.session() != null && op.zxid() != null && op.node() != null));
        for (String f : List.of(Store.TEST, Store.RESULTS, Store.REPORT, Store.NEMESIS)) {
            assertTrue(Files.size(r.runDir().resolve(f)) > 0, f);
        }
        try (var logs = Files.list(r.runDir().resolve(Store.LOGS))) {
            assertEquals(3, logs.count(), "one log per node");
        }
        // writes must be linearizable, whatever the reads did
        io.faultline.checker.Checker writes = io.faultline.workloads.workload.CheckerSupport.perKey("linearizable-writes",
                io.faultline.workloads.workload.CheckerSupport.filtered("linearizable-writes",
                        io.faultline.checker.Checkers.byName("linearizable", io.faultline.checker.CheckerOptions.forModel("cas-register")
                                .withNilReads(io.faultline.checker.model.NilReads.STRICT)),
                        op -> op.process() < 1_000_000 && !op.isNemesis() && (op.f().equals("write") || op.f().equals("cas"))));
        CheckResult w = writes.check(h);
        assertEquals(Verdict.VALID, w.verdict(), w.summary());
        CheckResult lin = r.results().stream().filter(c -> c.checker().equals("linearizable")).findFirst().orElseThrow();
        // writes and sync+reads must be linearizable; the session checks cover everything else
        assertEquals(Verdict.VALID, lin.verdict(), r.explanation());
        return r;
    }
}
