package io.faultline.checker.linear;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.List;
import java.util.Map;

/** Linearizability against a datatype model. INTERIM: the search is not implemented yet; answers UNKNOWN. */
public final class LinearizabilityChecker implements Checker {
    public static final String NAME = "linearizable";
    private final CheckerOptions options;

    public LinearizabilityChecker(CheckerOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(List<Op> history) {
        return new CheckResult(NAME, Verdict.UNKNOWN, "linearizability search not implemented yet", List.of(), Map.of());
    }
}
