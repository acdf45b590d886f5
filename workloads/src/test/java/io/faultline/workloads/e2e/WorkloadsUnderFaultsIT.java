package io.faultline.workloads.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryFiles;
import io.faultline.workloads.runner.Interpreter;
import io.faultline.workloads.runner.Systems;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every workload under partitions, kills and pauses on a 3-node ensemble of each system (process
 * backend, embedded Toxiproxy on every link), 9 s each. What is asserted is what ZooKeeper promises:
 *
 * <ul>
 *   <li>set: no acknowledged add lost, nothing read that was never added (plain reads may be stale:
 *       the set checker tolerates that, the final read after healing must see everything);</li>
 *   <li>counter: every sync read between the acknowledged adds before it and all adds that may have
 *       applied (writes are linearizable; a sync+read sees every write acknowledged before it);</li>
 *   <li>queue: no acknowledged enqueue lost by the final drain, nothing dequeued twice, nothing unexpected;</li>
 *   <li>lock: mutual exclusion among holders whose session the client still believes alive. ZooKeeper's
 *       ephemeral-node lock promises no more: once the server expires a session (only the leader decides,
 *       after the session timeout without pings) another client may take the lock while the old holder
 *       has not heard yet. The old client notices first, though: it disconnects after 2/3 of the timeout
 *       without a reply, and Curator reports SUSPENDED, which the workload records as a session loss
 *       that ends the hold (Curator's documented contract: treat SUSPENDED as lost);</li>
 *   <li>session: ephemerals vanish with their session and only then, watches fire, and the per-session
 *       guarantees (monotonic reads, read your writes, zxid order within a session) hold;</li>
 *   <li>register with leader reads: writes and reads served by the leader linearizable.</li>
 * </ul>
 * Every run must have done work (ok ops of each kind) and injected faults, so it cannot pass vacuously.
 */
class WorkloadsUnderFaultsIT {
    static final Duration LIMIT = Duration.ofSeconds(Long.getLong("faultline.faults.seconds", 9));

    @TempDir
    Path store;

    @ParameterizedTest(name = "{0} {1} ({2} reads)")
    @CsvSource({
            "reference, set,      plain,  21, add read,                    set",
            "zookeeper, set,      plain,  22, add read,                    set",
            "reference, counter,  sync,   23, add read,                    counter",
            "zookeeper, counter,  sync,   24, add read,                    counter",
            "reference, queue,    plain,  25, enqueue dequeue drain,       queue",
            "zookeeper, queue,    plain,  26, enqueue dequeue drain,       queue",
            "reference, lock,     plain,  27, acquire release,             lock",
            "zookeeper, lock,     plain,  28, acquire release,             lock",
            "reference, session,  plain,  29, create exists close-session, session",
            "zookeeper, session,  plain,  30, create exists close-session, session",
            "reference, register, leader, 31, read write cas,              linearizable",
            "zookeeper, register, leader, 32, read write cas,              linearizable",
    })
    void workloadKeepsItsGuaranteesUnderFaults(String system, String workload, String readMode, long seed, String fs,
                                               String mainChecker) throws Exception {
        // -Dfaultline.faults.store=DIR keeps the runs for reading (a JUnit temp dir otherwise)
        Path root = System.getProperty("faultline.faults.store") != null ? Path.of(System.getProperty("faultline.faults.store")) : store;
        TestOptions o = new TestOptions("faults-" + system + "-" + workload, system, "process", 3, 0, workload, 5, 40,
                LIMIT, List.of("partition", "kill", "pause"), Duration.ofMillis(1500), Duration.ofSeconds(3), seed,
                readMode, Duration.ofSeconds(3), Duration.ofSeconds(6), 60, false, root);
        TestResult r = new TestRunner(new Systems(), System.out).run(o);
        List<Op> h = HistoryFiles.read(r.runDir().resolve(Store.HISTORY)).ops();

        // faults were really injected: a start op whose result names what it did, then a heal
        List<Op> acted = h.stream().filter(op -> op.isNemesis() && op.f().startsWith("start-") && op.value() != null
                && !String.valueOf(op.value()).matches("already active|no .*")).toList();
        assertTrue(acted.size() >= 2, "faults injected: " + acted);
        assertTrue(h.stream().anyMatch(op -> op.isNemesis() && op.f().equals("heal-all")), "healed at the end");

        // the clients did work of every kind the workload has
        // (the workers' own closes of sessions they give up, closed-by: worker, do not count as work)
        List<Op> work = h.stream().filter(op -> op.type() == OpType.OK && op.process() < Interpreter.EVENT_PROCESS_BASE
                && op.get("closed-by") == null).toList();
        Set<String> okFs = work.stream().map(Op::f).collect(Collectors.toSet());
        for (String f : fs.trim().split(" ")) assertTrue(okFs.contains(f), workload + ": no ok " + f + " in " + okFs);
        long ok = work.size();
        assertTrue(ok >= 20, ok + " ok ops");

        // the workload's own checker ran and every checker holds the system to its promises
        assertTrue(r.results().stream().anyMatch(c -> c.checker().equals(mainChecker)), r.explanation());
        for (CheckResult c : r.results()) assertEquals(Verdict.VALID, c.verdict(), c.checker() + ": " + r.explanation());
    }
}
