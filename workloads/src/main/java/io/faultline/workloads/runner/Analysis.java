package io.faultline.workloads.runner;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs checkers over a history; a checker that throws gives unknown, never a crash of the run. */
public final class Analysis {
    private static final Logger log = LoggerFactory.getLogger(Analysis.class);

    private Analysis() {}

    public static List<CheckResult> check(List<Checker> checkers, List<Op> history) {
        List<CheckResult> out = new ArrayList<>();
        for (Checker c : checkers) {
            try {
                out.add(c.check(history));
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                log.warn("checker {} failed", c.name(), e);
                out.add(new CheckResult(c.name(), Verdict.UNKNOWN, "checker crashed: " + e, List.of(), Map.of()));
            }
        }
        return out;
    }

    public static Verdict overall(List<CheckResult> results) {
        Verdict v = Verdict.VALID;
        for (CheckResult r : results) v = v.worst(r.verdict());
        return results.isEmpty() ? Verdict.UNKNOWN : v;
    }
}
