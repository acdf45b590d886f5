package io.faultline.checker.history;

/** Jepsen's op types: an invocation, and its three kinds of completion. */
public enum OpType {
    /** The client is about to send the request. */
    INVOKE,
    /** The op definitely took effect; for reads the value is on this completion. */
    OK,
    /** The op definitely did not take effect. */
    FAIL,
    /** Indeterminate: it may or may not have taken effect (crash, timeout, connection loss). */
    INFO;

    public String jepsenName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static OpType fromJepsen(String s) {
        return switch (s) {
            case "invoke" -> INVOKE;
            case "ok" -> OK;
            case "fail" -> FAIL;
            case "info" -> INFO;
            default -> throw new IllegalArgumentException("unknown op type '" + s + "'");
        };
    }
}
