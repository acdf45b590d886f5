package io.faultline.checker.model;

/**
 * One client operation as a model sees it: an invocation paired with its completion.
 *
 * @param f       the operation name
 * @param input   the invocation's value (for pending ops the only value known)
 * @param output  the completion's value (ok or fail completions), else null
 * @param outcome whether it completed ok, failed (as an observation), or is pending (crashed / never completed)
 * @param key     the independent key, or null
 */
public record Call(String f, Object input, Object output, Outcome outcome, Object key) {
    public enum Outcome {
        OK, FAILED, PENDING
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }

    public boolean pending() {
        return outcome == Outcome.PENDING;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /** The value that describes what happened: the completion's for ok, the invocation's otherwise. */
    public Object value() {
        return outcome == Outcome.OK ? output : input;
    }
}
