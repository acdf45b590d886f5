package io.faultline.workloads.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryRecorder;
import io.faultline.workloads.history.HistorySink;
import io.faultline.workloads.runner.Analysis;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.workload.Workloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens a real report in headless Chromium and checks what the page shows. */
class ReportChromiumIT {
    @TempDir
    Path tmp;

    @Test
    void theReportShowsVerdictsChartsTimelineAndCounterexamples() throws Exception {
        List<Op> history = SyntheticHistories.staleSyncReads();
        TestOptions o = new TestOptions("report-check", "zookeeper", "process", 3, 0, "register", 2, 10, Duration.ofSeconds(1),
                List.of("partition"), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, "sync", Duration.ofSeconds(1),
                Duration.ofSeconds(4), 100, false, tmp);
        List<CheckResult> results = Analysis.check(Workloads.byName("register").checkers(TestRunner.optionsForChecking(o)), history);
        Verdict verdict = Analysis.overall(results);
        assertEquals(Verdict.INVALID, verdict, results.toString());
        Path html = tmp.resolve("report.html");
        Report.write(html, o, "synthetic history", verdict, results, history, RunStats.of(history));

        Files.createDirectories(Path.of("target"));
        Files.copy(html, Path.of("target", "report-chromium-it.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String dom = dumpDom(html);
        assertTrue(dom.contains("id=\"verdict\""), dom.substring(0, Math.min(500, dom.length())));
        assertTrue(Pattern.compile("id=\"verdict\"[^>]*>INVALID<").matcher(dom).find(), "verdict banner");
        Matcher lin = Pattern.compile("<tr class=\"invalid\"><td>linearizable</td><td class=\"v\">invalid</td>").matcher(dom);
        assertTrue(lin.find(), "linearizable row marked invalid");
        // XChart SVGs are inline and rendered as SVG elements in the DOM
        for (String id : List.of("latency", "throughput")) {
            int at = dom.indexOf("id=\"" + id + "\"");
            assertTrue(at >= 0, id);
            int svg = dom.indexOf("<svg", at);
            assertTrue(svg > at && svg < at + 400, id + " chart svg");
            String chart = dom.substring(svg, dom.indexOf("</svg>", svg));
            assertTrue(chart.contains("fill:rgb(255,107,107)"), id + ": fault window shaded");
            assertTrue(chart.contains("fill:rgb(43,138,62)") || chart.contains("stroke:rgb(43,138,62)"), id + ": ok ops drawn");
        }
        assertTrue(dom.contains("Shaded fault windows: partition"), "fault windows named under the charts");
        assertTrue(dom.contains("<svg id=\"timeline\""));
        assertTrue(dom.contains("class=\"fault\""), "fault window shaded on the timeline");
        assertTrue(dom.contains("class=\"op ok witness\"") || dom.contains("class=\"op ok"), "ops on the timeline");
        int ce = dom.indexOf("id=\"counterexamples\"");
        assertTrue(ce > 0);
        String counter = dom.substring(ce);
        assertFalse(counter.startsWith("id=\"counterexamples\"><p>None"), "a counterexample is shown");
        assertTrue(counter.contains("<table class=\"ops\">"), "witness ops listed");
        assertTrue(dom.contains("start-partition"), "nemesis events listed");
        // offline: nothing is loaded from anywhere
        String source = Files.readString(html);
        assertFalse(Pattern.compile("(src|href)=\"https?:").matcher(source).find(), "no external resources");
    }

    static String dumpDom(Path html) throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            if ("true".equals(System.getenv("CI"))) fail("headless Chromium is required under CI: not found at " + chromium);
            Assumptions.abort("no Chromium at " + chromium + " (set CHROMIUM); required under CI=true");
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            try (var s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
