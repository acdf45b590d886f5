package io.faultline.checker;

import io.faultline.checker.history.Op;
import java.util.List;

/** Jepsen's Checker: a pure function from a history (plain data) to a result. */
public interface Checker {
    /** The name used on the command line (--checker NAME) and in results. */
    String name();

    /** Checks a whole history, ops in index order, nemesis entries included. */
    CheckResult check(List<Op> history);
}
