package io.faultline.workloads.runner;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.history.HistoryRecorder;
import io.faultline.workloads.history.JsonlHistorySink;
import io.faultline.workloads.report.Report;
import io.faultline.workloads.report.RunStats;
import io.faultline.workloads.store.Store;
import io.faultline.workloads.workload.Workload;
import io.faultline.workloads.workload.WorkloadOptions;
import io.faultline.workloads.workload.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one test end to end: cluster up, clients, generator plus nemesis schedule for the time limit,
 * heal and recover, final phase, teardown and logs, check, store and report.
 */
public final class TestRunner {
    private static final Logger log = LoggerFactory.getLogger(TestRunner.class);

    private final SystemUnderTest.Factory systems;
    private final PrintStream out;

    public TestRunner(SystemUnderTest.Factory systems, PrintStream out) {
        this.systems = systems;
        this.out = out;
    }

    /** The generator of a whole test: main phase (clients + nemesis), heal, recovery, final phase. */
    public static Generator testGenerator(Workload workload, WorkloadOptions wo, TestOptions o) {
        Generator clients = Gen.clients(Gen.rate(o.rate(), workload.generator(wo)));
        Generator nemesis = Gen.nemesis(Gen.nemesisSchedule(o.nemesisInterval(), o.nemesis()));
        List<Generator> phases = new ArrayList<>();
        phases.add(Gen.timeLimit(o.timeLimit(), Gen.split(clients, nemesis)));
        if (!o.nemesis().isEmpty()) {
            phases.add(Gen.nemesis(Gen.once(Invocation.of("heal-all", null))));
            phases.add(Gen.sleep(o.recovery()));
        }
        Generator fin = workload.finalGenerator(wo);
        if (fin != null) phases.add(Gen.clients(fin));
        return Gen.phases(phases.toArray(Generator[]::new));
    }

    public TestResult run(TestOptions o) throws Exception {
        List<String> problems = o.problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        Workload workload = Workloads.byName(o.workload());
        Store store = new Store(o.store());
        Path runDir = store.newRun(o.name(), Instant.now());
        Store.writeJson(runDir.resolve(Store.TEST), o.toJson());
        out.printf("[faultline] test %s: %s workload, %s/%s, %d+%d nodes, %d workers at %.0f ops/s for %ds, nemesis %s every %ds, seed %d%n",
                o.name(), o.workload(), o.system(), o.backend(), o.nodes(), o.observers(), o.concurrency(), o.rate(),
                o.timeLimit().toSeconds(), o.nemesis().isEmpty() ? "none" : String.join(",", o.nemesis()),
                o.nemesisInterval().toSeconds(), o.seed());
        out.printf("[faultline] store: %s%n", runDir);

        long t0 = System.nanoTime();
        SystemUnderTest sut = systems.start(o, runDir);
        List<Op> history;
        String described = sut.describe();
        long setupMs;
        long runMs;
        long teardownMs;
        try {
            out.printf("[faultline] up: %s%n", described);
            WorkloadOptions wo = new WorkloadOptions(sut.endpoints(), sut::leader, o.concurrency(), o.readMode(),
                    o.opTimeout(), o.sessionTimeout(), o.opsPerKey(), "/faultline");
            var clients = workload.clients(wo);
            clients.setUp();
            NemesisDriver nemesis = o.nemesis().isEmpty() ? null
                    : sut.nemesis(o.nemesis(), o.seed(), runDir.resolve(Store.NEMESIS));
            setupMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            try (HistoryRecorder recorder = new HistoryRecorder(new JsonlHistorySink(runDir.resolve(Store.HISTORY)))) {
                Interpreter interpreter = new Interpreter(testGenerator(workload, wo, o), clients, nemesis, recorder,
                        o.concurrency(), o.seed());
                NemesisDriver n = nemesis == null ? NemesisDriver.NONE : nemesis;
                try (Progress p = new Progress(out, recorder, o.timeLimit(), n::activeFaults, interpreter::inFlight,
                        Duration.ofSeconds(1))) {
                    // generous: the main phase, recovery, final phase, and a few op timeouts
                    interpreter.run(o.timeLimit().plus(o.recovery()).plus(o.opTimeout().multipliedBy(4)).plusSeconds(60));
                } finally {
                    if (nemesis != null) {
                        try {
                            nemesis.healAll();
                        } catch (Exception e) {
                            log.warn("healing after the run failed", e);
                        }
                        nemesis.close();
                    }
                    clients.tearDown();
                }
                history = recorder.snapshot();
            }
            runMs = (System.nanoTime() - t1) / 1_000_000;
        } finally {
            long t2 = System.nanoTime();
            sut.collectLogs(runDir.resolve(Store.LOGS));
            if (o.leaveRunning()) {
                out.printf("[faultline] --leave-running: the cluster stays up (%s)%n", described);
            } else {
                sut.close();
            }
            teardownMs = (System.nanoTime() - t2) / 1_000_000;
        }
        long t3 = System.nanoTime();
        out.printf("[faultline] checking %d history entries%n", history.size());
        List<CheckResult> results = Analysis.check(workload.checkers(optionsForChecking(o)), history);
        long checkMs = (System.nanoTime() - t3) / 1_000_000;
        Verdict verdict = Analysis.overall(results);
        long t4 = System.nanoTime();
        RunStats stats = RunStats.of(history);
        TestResult.Timings timings = new TestResult.Timings(setupMs, runMs, teardownMs, checkMs, 0);
        writeResults(runDir, o, described, verdict, results, stats, timings);
        Report.write(runDir.resolve(Store.REPORT), o, described, verdict, results, history, stats);
        long reportMs = (System.nanoTime() - t4) / 1_000_000;
        timings = new TestResult.Timings(setupMs, runMs, teardownMs, checkMs, reportMs);
        writeResults(runDir, o, described, verdict, results, stats, timings);
        TestResult result = new TestResult(verdict, results, runDir, described, timings, stats.calls().size());
        out.print(result.explanation());
        out.printf("[faultline] %s  report: %s%n", verdict.name(), runDir.resolve(Store.REPORT).toAbsolutePath());
        return result;
    }

    /** Checkers need only the workload-level options (no endpoints). */
    public static WorkloadOptions optionsForChecking(TestOptions o) {
        return new WorkloadOptions(List.of(new io.faultline.workloads.workload.Endpoint("none", "")), null,
                o.concurrency(), o.readMode(), o.opTimeout(), o.sessionTimeout(), o.opsPerKey(), "/faultline");
    }

    public static void writeResults(Path runDir, TestOptions o, String system, Verdict verdict, List<CheckResult> results,
                                    RunStats stats, TestResult.Timings timings) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", o.name());
        m.put("system", system);
        m.put("verdict", verdict.name().toLowerCase());
        m.put("valid", verdict == Verdict.VALID);
        List<Object> checks = new ArrayList<>();
        for (CheckResult r : results) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("checker", r.checker());
            c.put("verdict", r.verdict().name().toLowerCase());
            c.put("summary", r.summary());
            c.put("anomaly-counts", r.anomalyCounts());
            c.put("anomalies", r.anomalies().stream().map(a -> Map.of("kind", a.kind(), "description", a.description(),
                    "witnesses", a.witnesses())).toList());
            c.put("details", r.details());
            checks.add(c);
        }
        m.put("checks", checks);
        m.put("stats", stats.toJson());
        if (timings != null) {
            m.put("timings-ms", Map.of("setup", timings.setupMs(), "run", timings.runMs(), "teardown", timings.teardownMs(),
                    "check", timings.checkMs(), "report", timings.reportMs()));
        }
        Store.writeJson(runDir.resolve(Store.RESULTS), m);
    }
}
