package io.faultline.workloads.report;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.report.RunStats.Call;
import io.faultline.workloads.report.RunStats.FaultWindow;
import io.faultline.workloads.runner.TestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts from anywhere) with the
 * verdict per checker, the op timeline with fault windows shaded, latency and throughput plots, the
 * counterexamples, and the nemesis events.
 */
public final class Report {
    /** Ops drawn in the timeline: the first ones, plus every anomaly's surroundings. */
    static final int TIMELINE_OPS = 1500;

    private Report() {}

    /** The checker module's own page (its timeline and anomaly views), written beside report.html. */
    public static final String CHECKER_REPORT = "checker-report.html";

    public static void write(Path file, TestOptions o, String system, Verdict verdict, List<CheckResult> results,
                             List<Op> history, RunStats stats) throws IOException {
        boolean checkerPage;
        try {
            Files.writeString(file.resolveSibling(CHECKER_REPORT),
                    io.faultline.checker.report.HtmlReport.render(o.name() + " (" + system + ")", history, results),
                    StandardCharsets.UTF_8);
            checkerPage = true;
        } catch (RuntimeException | StackOverflowError e) {
            checkerPage = false; // the main report does not depend on it
        }
        Files.writeString(file, html(o, system, verdict, results, history, stats, checkerPage), StandardCharsets.UTF_8);
    }

    public static String html(TestOptions o, String system, Verdict verdict, List<CheckResult> results,
                              List<Op> history, RunStats stats, boolean linkCheckerPage) throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>faultline: ")
                .append(esc(o.name())).append(" ").append(verdict.name().toLowerCase()).append("</title>\n<style>")
                .append(CSS).append("</style></head><body>\n");
        h.append("<h1>faultline: ").append(esc(o.name())).append("</h1>\n");
        h.append("<p id=\"verdict\" class=\"verdict ").append(verdict.name().toLowerCase()).append("\">")
                .append(verdict.name()).append("</p>\n");
        h.append("<p class=\"sys\">").append(esc(system)).append("</p>\n");

        h.append("<h2>Checkers</h2>\n<table id=\"checkers\"><tr><th>checker</th><th>verdict</th><th>summary</th><th>anomalies</th></tr>\n");
        for (CheckResult r : results) {
            h.append("<tr class=\"").append(r.verdict().name().toLowerCase()).append("\"><td>").append(esc(r.checker()))
                    .append("</td><td class=\"v\">").append(r.verdict().name().toLowerCase()).append("</td><td>")
                    .append(esc(r.summary())).append("</td><td>").append(esc(r.anomalyCounts().toString())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (linkCheckerPage) {
            h.append("<p>The checkers' own view (per-key timelines, linearization attempts): <a href=\"").append(CHECKER_REPORT)
                    .append("\">").append(CHECKER_REPORT).append("</a></p>\n");
        }

        h.append("<h2>Run</h2>\n<table id=\"stats\">");
        row(h, "client ops", stats.calls().size() + " (ok " + stats.count(OpType.OK) + ", fail " + stats.count(OpType.FAIL)
                + ", info " + stats.count(OpType.INFO) + ")");
        row(h, "availability", String.format(Locale.ROOT, "%.1f%%", 100 * stats.availability()));
        StringBuilder q = new StringBuilder();
        stats.latencyQuantiles().forEach((k, v) -> q.append(k).append(' ').append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f ms", v)).append("  "));
        row(h, "latency (ok)", q.toString().trim());
        row(h, "throughput", String.format(Locale.ROOT, "%.1f ok/s", stats.throughput()));
        row(h, "faults", stats.faults().size() + " windows");
        for (Map.Entry<String, Object> e : o.toJson().entrySet()) row(h, e.getKey(), String.valueOf(e.getValue()));
        h.append("</table>\n");

        String caption = faultCaption(stats);
        h.append("<h2>Latency</h2>\n<div class=\"chart\" id=\"latency\">").append(Charts.latencySvg(stats)).append("</div>\n")
                .append(caption);
        h.append("<h2>Throughput</h2>\n<div class=\"chart\" id=\"throughput\">").append(Charts.throughputSvg(stats)).append("</div>\n")
                .append(caption);

        h.append("<h2>Timeline</h2>\n");
        timeline(h, history, stats, results);

        h.append("<h2>Counterexamples</h2>\n<div id=\"counterexamples\">");
        boolean any = false;
        for (CheckResult r : results) {
            if (r.anomalies().isEmpty()) continue;
            any = true;
            h.append("<h3>").append(esc(r.checker())).append(": ").append(r.anomalies().size()).append(" anomalies</h3>\n");
            int shown = 0;
            for (Anomaly a : r.anomalies()) {
                if (shown++ >= 20) {
                    h.append("<p>... ").append(r.anomalies().size() - 20).append(" more in results.json</p>\n");
                    break;
                }
                h.append("<div class=\"anomaly\"><p><b>").append(esc(a.kind())).append("</b>: ").append(esc(a.description())).append("</p>\n");
                opsTable(h, a.witnesses().stream().filter(i -> i >= 0 && i < history.size()).map(i -> history.get((int) (long) i)).toList());
                h.append("</div>\n");
            }
        }
        if (!any) h.append("<p>None: no checker found an anomaly.</p>");
        h.append("</div>\n");

        h.append("<h2>Nemesis</h2>\n<table id=\"nemesis\"><tr><th>time (s)</th><th>f</th><th>value</th></tr>\n");
        for (Op op : history) {
            if (!op.isNemesis()) continue;
            h.append("<tr><td>").append(String.format(Locale.ROOT, "%.3f", op.time() / 1e9)).append("</td><td>")
                    .append(esc(op.f())).append("</td><td>").append(esc(String.valueOf(op.value()))).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static String faultCaption(RunStats stats) {
        if (stats.faults().isEmpty()) return "<p class=\"caption\">No faults in this run.</p>\n";
        StringBuilder c = new StringBuilder("<p class=\"caption\">Shaded fault windows: ");
        for (int i = 0; i < stats.faults().size(); i++) {
            FaultWindow f = stats.faults().get(i);
            if (i > 0) c.append(", ");
            c.append(String.format(Locale.ROOT, "%s %.1f&ndash;%.1f s", esc(f.fault()), f.startNanos() / 1e9, f.endNanos() / 1e9));
        }
        return c.append("</p>\n").toString();
    }

    /** Jepsen's timeline: one lane per process, one bar per op from invoke to completion. */
    private static void timeline(StringBuilder h, List<Op> history, RunStats stats, List<CheckResult> results) {
        Set<Long> witness = new LinkedHashSet<>();
        for (CheckResult r : results) for (Anomaly a : r.anomalies()) witness.addAll(a.witnesses());
        List<Call> calls = new ArrayList<>();
        for (Call c : stats.calls()) {
            boolean w = witness.contains(c.invokeIndex()) || witness.contains(c.completeIndex());
            if (calls.size() < TIMELINE_OPS || w) calls.add(c);
        }
        if (calls.isEmpty()) {
            h.append("<p>No client ops.</p>\n");
            return;
        }
        long t0 = calls.getFirst().invokeNanos();
        long t1 = calls.stream().mapToLong(c -> Math.max(c.invokeNanos(), c.completeNanos())).max().orElse(t0 + 1);
        t1 = Math.max(t1, t0 + 1_000_000);
        TreeMap<Long, Integer> lanes = new TreeMap<>();
        for (Call c : calls) lanes.putIfAbsent(c.process(), 0);
        int lane = 0;
        for (var e : lanes.entrySet()) e.setValue(lane++);
        double width = 1200;
        double laneH = 14;
        double height = lanes.size() * laneH + 20;
        h.append(String.format(Locale.ROOT, "<p>%d of %d ops, %.2f s to %.2f s (processes as lanes; faults shaded; anomalies outlined).</p>",
                calls.size(), stats.calls().size(), t0 / 1e9, t1 / 1e9));
        h.append(String.format(Locale.ROOT, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
                width + 60, height, width + 60, height));
        double scale = width / (t1 - t0);
        for (FaultWindow f : stats.faults()) {
            if (f.endNanos() < t0 || f.startNanos() > t1) continue;
            double x0 = 60 + Math.max(0, (f.startNanos() - t0) * scale);
            double x1 = 60 + Math.min(width, (f.endNanos() - t0) * scale);
            h.append(String.format(Locale.ROOT, "<rect class=\"fault\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%.0f\"><title>%s</title></rect>",
                    x0, Math.max(1, x1 - x0), height, esc(f.fault())));
        }
        for (var e : lanes.entrySet()) {
            h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\" class=\"lane\">p%d</text>", e.getValue() * laneH + 11, e.getKey()));
        }
        for (Call c : calls) {
            long end = c.completeNanos() < 0 ? t1 : c.completeNanos();
            double x = 60 + (c.invokeNanos() - t0) * scale;
            double w = Math.max(1.5, (end - c.invokeNanos()) * scale);
            double y = lanes.get(c.process()) * laneH + 2;
            boolean isWitness = witness.contains(c.invokeIndex()) || witness.contains(c.completeIndex());
            h.append(String.format(Locale.ROOT, "<rect class=\"op %s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"><title>%s %s #%d</title></rect>",
                    c.type().jepsenName(), isWitness ? " witness" : "", x, y, w, laneH - 3, c.f(), c.type().jepsenName(), c.invokeIndex()));
        }
        h.append("</svg>\n");
    }

    private static void opsTable(StringBuilder h, List<Op> ops) {
        h.append("<table class=\"ops\"><tr><th>index</th><th>time (s)</th><th>process</th><th>type</th><th>f</th><th>key</th><th>value</th><th>node</th><th>session</th><th>zxid</th><th>extra</th></tr>\n");
        for (Op op : ops) {
            h.append("<tr class=\"").append(op.type().jepsenName()).append("\"><td>").append(op.index()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", op.time() / 1e9)).append("</td><td>")
                    .append(op.isNemesis() ? "nemesis" : String.valueOf(op.process())).append("</td><td>").append(op.type().jepsenName())
                    .append("</td><td>").append(esc(op.f())).append("</td><td>").append(esc(String.valueOf(op.key())))
                    .append("</td><td>").append(esc(String.valueOf(op.value()))).append("</td><td>").append(esc(String.valueOf(op.node())))
                    .append("</td><td>").append(op.session() == null ? "" : "0x" + Long.toHexString(op.session())).append("</td><td>")
                    .append(op.zxid() == null ? "" : "0x" + Long.toHexString(op.zxid())).append("</td><td>")
                    .append(esc(op.extra().toString())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#212529}
            h1{margin-bottom:.2em} .sys{color:#495057;margin-top:0}
            .verdict{display:inline-block;padding:.3em .8em;border-radius:4px;font-weight:bold;font-size:1.4em;color:#fff}
            .verdict.valid{background:#2b8a3e} .verdict.invalid{background:#c92a2a} .verdict.unknown{background:#868e96}
            table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #dee2e6;padding:.2em .5em;text-align:left;font-size:.9em}
            tr.invalid td.v{color:#c92a2a;font-weight:bold} tr.valid td.v{color:#2b8a3e} tr.unknown td.v{color:#868e96}
            .chart svg{max-width:100%;height:auto}
            #timeline{border:1px solid #dee2e6} .fault{fill:#ff6b6b;fill-opacity:.25}
            .op.ok{fill:#2b8a3e} .op.fail{fill:#d9480f} .op.info{fill:#adb5bd} .op.witness{stroke:#000;stroke-width:1.5}
            .lane{font-size:10px;fill:#495057} .anomaly{border-left:3px solid #c92a2a;padding-left:.6em;margin:.8em 0}
            table.ops tr.fail td{color:#d9480f} table.ops tr.info td{color:#868e96}
            """;
}
