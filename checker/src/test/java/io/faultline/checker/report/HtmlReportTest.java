package io.faultline.checker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.HistoryFormat;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.history.Op;
import io.faultline.checker.linear.LinearizabilityChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class HtmlReportTest {
    /** Write 1 completes before the read begins, yet the read returns the overwritten 0... and then 1 again. */
    public static final String BAD = """
            {:process 0, :type :invoke, :f :write, :value 1}
            {:process 0, :type :ok, :f :write, :value 1}
            {:process 1, :type :invoke, :f :read, :value nil}
            {:process 2, :type :invoke, :f :write, :value 2}
            {:process 1, :type :ok, :f :read, :value 0}
            {:process 2, :type :ok, :f :write, :value 2}
            {:process :nemesis, :type :info, :f :kill, :value "n1"}
            """;

    @Test
    void marksTheViolatingOpAndThePartialLinearization() {
        List<Op> h = HistoryReader.read(BAD, "bad.edn", HistoryFormat.EDN);
        CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("cas-register")).check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        String html = HtmlReport.render("bad.edn", h, List.of(r));
        assertTrue(html.contains("data-violation='true'"));
        assertTrue(Pattern.compile("class='op ok witness violation' data-index='2'").matcher(html).find(), html);
        assertTrue(html.contains("data-lin-order='1'"));
        assertFalse(html.contains("http://") && html.contains("<script src"), "self-contained");
    }

    @Test
    void rendersAnyCheckersAnomalies() {
        List<Op> h = HistoryReader.read(BAD, "bad.edn", HistoryFormat.EDN);
        CheckResult other = new CheckResult("monotonic-reads", Verdict.INVALID, "a read went back",
                List.of(new Anomaly("monotonic-reads", "read <0> after 1", List.of(4L, 0L))), Map.of());
        String html = HtmlReport.render(h, List.of(other));
        assertTrue(html.contains("data-checker='monotonic-reads'"));
        assertTrue(html.contains("read &lt;0&gt; after 1"), "escaped");
        assertTrue(html.contains("class='op ok witness violation' data-index='2' data-completion='4'"), html);
        assertTrue(html.contains("class='op ok witness' data-index='0'"), html);
    }

    @Test
    void longHistoriesShowAWindowAroundTheViolation() {
        List<Op> h = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            h.add(Op.of(2L * i, i, io.faultline.checker.history.OpType.INVOKE, 0, "write", (long) i));
            h.add(Op.of(2L * i + 1, i, io.faultline.checker.history.OpType.OK, 0, "write", (long) i));
        }
        CheckResult r = new CheckResult("x", Verdict.INVALID, "s", List.of(new Anomaly("k", "d", List.of(15000L))), Map.of());
        String html = HtmlReport.render(h, List.of(r));
        assertTrue(html.contains("data-violation='true'"));
        assertTrue(html.length() < 3_000_000, "size " + html.length());
    }

    /** Opens the report in headless Chromium and checks the violating op is in the rendered DOM. */
    @Test
    void violatingOpIsRenderedInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = chromium();
        List<Op> h = HistoryReader.read(BAD, "bad.edn", HistoryFormat.EDN);
        CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("cas-register")).check(h);
        Path report = dir.resolve("report.html");
        Files.writeString(report, HtmlReport.render("bad.edn", h, List.of(r)), StandardCharsets.UTF_8);
        String dom = dumpDom(chromium, report, dir.resolve("profile"));
        Matcher m = Pattern.compile("<g class=\"op ok witness violation\" data-index=\"2\"[^>]*data-violation=\"true\"").matcher(dom);
        assertTrue(m.find(), "violating op not rendered; DOM:\n" + dom.substring(0, Math.min(dom.length(), 3000)));
        assertTrue(dom.contains("data-verdict=\"invalid\""));
    }

    static Path chromium() {
        String env = System.getenv("CHROMIUM");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            String msg = "headless Chromium not found at " + p + " (set CHROMIUM or install Debian's chromium)";
            if (System.getenv("CI") != null) fail(msg);
            Assumptions.abort(msg);
        }
        return p;
    }

    static String dumpDom(Path chromium, Path html, Path profile) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        Path out = profile.resolveSibling("dom.html");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) fail("chromium did not finish within 90 s");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "chromium exit code");
        return Files.readString(out);
    }
}
