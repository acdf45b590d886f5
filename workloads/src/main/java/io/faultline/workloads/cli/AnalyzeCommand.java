package io.faultline.workloads.cli;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.workloads.history.HistoryFiles;
import io.faultline.workloads.report.Report;
import io.faultline.workloads.report.RunStats;
import io.faultline.workloads.runner.Analysis;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.store.Store;
import io.faultline.workloads.workload.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `faultline analyze <dir>`: re-checks a stored run and rewrites its results and report. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Re-checks a stored run (store/<test>/<time>/, or 'latest') with the current checkers,"
                + " and rewrites results.json and report.html.", "Exit: 0 valid, 1 invalid, 2 unknown, 254 bad arguments."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The run folder, or 'latest' (store/latest).")
    String dir;

    @picocli.CommandLine.Option(names = "--store", description = "Store root for 'latest'. Default ${DEFAULT-VALUE}.")
    Path store = Path.of("store");

    @Override
    public Integer call() throws Exception {
        Path run = dir.equals("latest") ? new Store(store).latest() : Path.of(dir);
        if (!Files.isDirectory(run)) throw new Main.BadArgumentsException(List.of("no such run folder: " + run));
        Path test = run.resolve(Store.TEST);
        Path hist = run.resolve(Store.HISTORY);
        if (!Files.isRegularFile(test) || !Files.isRegularFile(hist)) {
            throw new Main.BadArgumentsException(List.of(run + " is not a stored run (needs test.json and history.jsonl)"));
        }
        TestOptions o = TestOptions.fromJson(Store.readJson(test));
        HistoryFiles.Loaded loaded = HistoryFiles.read(hist);
        List<Op> history = loaded.ops();
        if (loaded.truncatedTail()) System.out.println("[faultline] the history's last line was cut short (crash?): dropped it");
        Map<String, Object> old = Files.exists(run.resolve(Store.RESULTS)) ? Store.readJson(run.resolve(Store.RESULTS)) : Map.of();
        String system = String.valueOf(old.getOrDefault("system", o.system() + " (" + o.backend() + ")"));
        List<CheckResult> results = Analysis.check(Workloads.byName(o.workload()).checkers(TestRunner.optionsForChecking(o)), history);
        Verdict verdict = Analysis.overall(results);
        RunStats stats = RunStats.of(history);
        TestRunner.writeResults(run, o, system, verdict, results, stats, null);
        Report.write(run.resolve(Store.REPORT), o, system, verdict, results, history, stats);
        TestResult r = new TestResult(verdict, results, run, system, null, stats.calls().size());
        System.out.print(r.explanation());
        System.out.printf("[faultline] %s  report: %s%n", verdict, run.resolve(Store.REPORT).toAbsolutePath());
        return r.exitCode();
    }
}
