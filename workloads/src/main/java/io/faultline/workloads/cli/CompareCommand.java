package io.faultline.workloads.cli;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.store.Store;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `faultline compare`: the same scenario (same seed) on several systems, one table. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the same scenario (same seed) on several systems and prints one table of availability,"
                + " latency and anomalies per system (also written to <store>/compare-<time>.md).",
                "Exit: the worst verdict (0 valid, 1 invalid, 2 unknown), 254 bad arguments."})
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--systems", split = ",", description = "Systems to compare. Default ${DEFAULT-VALUE}.")
    List<String> systems = new ArrayList<>(List.of("reference", "zookeeper"));

    @Mixin
    TestCommand.Scenario scenario = new TestCommand.Scenario();

    @Override
    public Integer call() throws Exception {
        List<String> bad = systems.stream().filter(s -> !TestOptions.SYSTEMS.contains(s)).toList();
        if (!bad.isEmpty() || systems.isEmpty()) {
            throw new Main.BadArgumentsException(List.of("--systems must list some of " + TestOptions.SYSTEMS + ", got " + systems));
        }
        TestOptions base = scenario.toOptions();
        List<TestResult> results = new ArrayList<>();
        List<Map<String, Object>> stats = new ArrayList<>();
        Verdict worst = Verdict.VALID;
        for (String system : systems) {
            TestOptions o = base.withSystem(system).withName("compare-" + system + "-" + base.workload());
            TestResult r = new TestRunner(Main.systems, System.out).run(o);
            results.add(r);
            stats.add(Store.readJson(r.runDir().resolve(Store.RESULTS)));
            worst = worst.worst(r.verdict());
        }
        String table = table(systems, results, stats);
        System.out.println();
        System.out.print(table);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Files.createDirectories(base.store());
        var file = base.store().resolve("compare-" + stamp + ".md");
        Files.writeString(file, "# compare: " + base.workload() + ", seed " + base.seed() + "\n\n" + table);
        System.out.println("[faultline] table: " + file.toAbsolutePath());
        return TestResult.exitCode(worst);
    }

    @SuppressWarnings("unchecked")
    static String table(List<String> systems, List<TestResult> results, List<Map<String, Object>> stored) {
        StringBuilder sb = new StringBuilder();
        sb.append("| system | verdict | ops | ok | fail | info | availability | p50 ms | p99 ms | max ms | anomalies |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < systems.size(); i++) {
            TestResult r = results.get(i);
            Map<String, Object> s = (Map<String, Object>) stored.get(i).get("stats");
            Map<String, Object> lat = (Map<String, Object>) s.get("latency-ms");
            Map<String, Long> anomalies = new TreeMap<>();
            for (CheckResult c : r.results()) c.anomalyCounts().forEach((k, v) -> anomalies.merge(c.checker() + "/" + k, v, Long::sum));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f%% | %s | %s | %s | %s |%n", systems.get(i),
                    r.verdict().name().toLowerCase(), s.get("ops"), s.get("ok"), s.get("fail"), s.get("info"),
                    100 * ((Number) s.get("availability")).doubleValue(), ms(lat.get("p50")), ms(lat.get("p99")),
                    ms(lat.get("max")), anomalies.isEmpty() ? "none" : anomalies.toString()));
        }
        return sb.toString();
    }

    private static String ms(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-";
    }
}
