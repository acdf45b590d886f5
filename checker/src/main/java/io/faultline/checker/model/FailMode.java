package io.faultline.checker.model;

/** What a {@code :fail} completion means to the search. */
public enum FailMode {
    /** Knossos: the op definitely did not take effect, so it is dropped from the history. */
    DROP,
    /**
     * Porcupine: the op completed with a negative answer, which is an observation. A failed cas says the
     * expected value did not match at its linearization point; other failed ops leave the state unchanged.
     */
    OBSERVE;

    public static FailMode parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "drop", "knossos" -> DROP;
            case "observe", "porcupine" -> OBSERVE;
            default -> throw new IllegalArgumentException("unknown fail mode '" + s + "' (drop|observe)");
        };
    }
}
