package io.faultline.workloads.runner;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Verdict;
import java.nio.file.Path;
import java.util.List;

/**
 * One finished run: the overall verdict (the worst of the checkers'), each checker's result, where
 * the run is stored, and the harness's own timings.
 */
public record TestResult(Verdict verdict, List<CheckResult> results, Path runDir, String system,
                         Timings timings, long ops) {
    public record Timings(long setupMs, long runMs, long teardownMs, long checkMs, long reportMs) {}

    /** The exit code for this verdict: 0 valid, 1 invalid, 2 unknown. */
    public int exitCode() {
        return exitCode(verdict);
    }

    public static int exitCode(Verdict v) {
        return switch (v) {
            case VALID -> 0;
            case INVALID -> 1;
            case UNKNOWN -> 2;
        };
    }

    /** The checkers' explanation of everything not valid, for people (and JUnit failures). */
    public String explanation() {
        StringBuilder sb = new StringBuilder();
        sb.append("verdict ").append(verdict.name().toLowerCase()).append(" (").append(system).append(", ").append(runDir).append(")\n");
        for (CheckResult r : results) {
            sb.append("  ").append(r.checker()).append(": ").append(r.verdict().name().toLowerCase()).append(" - ").append(r.summary()).append('\n');
            r.anomalies().stream().limit(5).forEach(a -> sb.append("    ").append(a.kind()).append(": ").append(a.description())
                    .append(" (ops ").append(a.witnesses()).append(")\n"));
            if (r.anomalies().size() > 5) sb.append("    ... ").append(r.anomalies().size() - 5).append(" more\n");
        }
        return sb.toString();
    }
}
