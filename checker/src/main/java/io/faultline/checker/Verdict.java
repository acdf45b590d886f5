package io.faultline.checker;

/** A checker's answer. Exit codes follow the CLI: valid 0, invalid 1, unknown 3. */
public enum Verdict {
    VALID, INVALID, UNKNOWN;

    /** The worse of two verdicts: invalid beats unknown beats valid. */
    public Verdict worst(Verdict other) {
        if (this == INVALID || other == INVALID) return INVALID;
        if (this == UNKNOWN || other == UNKNOWN) return UNKNOWN;
        return VALID;
    }
}
