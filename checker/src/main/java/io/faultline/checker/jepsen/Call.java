package io.faultline.checker.jepsen;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;

/**
 * A client operation: its invocation paired with its completion. A call never completed by the end
 * of the history has {@code completion == null} and counts as indeterminate ({@link OpType#INFO}).
 */
public record Call(Op invoke, Op completion) {

    public OpType type() {
        return completion == null ? OpType.INFO : completion.type();
    }

    public boolean ok() {
        return type() == OpType.OK;
    }

    public boolean failed() {
        return type() == OpType.FAIL;
    }

    /** Indeterminate: info, or never completed. */
    public boolean indeterminate() {
        return type() == OpType.INFO;
    }

    public String f() {
        return invoke.f();
    }

    public long process() {
        return invoke.process();
    }

    /** History position of the invocation: real-time order is history order, as in Jepsen. */
    public long start() {
        return invoke.index();
    }

    /** History position of the completion; {@link Long#MAX_VALUE} if it never completed. */
    public long end() {
        return completion == null ? Long.MAX_VALUE : completion.index();
    }

    /** The completion's value when it has one (reads), else the invocation's (writes). */
    public Object value() {
        if (completion != null && completion.value() != null) return completion.value();
        return invoke.value();
    }

    /** The op that carries the outcome: the completion, or the invocation when there is none. */
    public Op last() {
        return completion == null ? invoke : completion;
    }

    /** An extra field from the completion, falling back to the invocation. */
    public Object extra(String field) {
        Object v = completion == null ? null : completion.get(field);
        return v != null ? v : invoke.get(field);
    }
}
