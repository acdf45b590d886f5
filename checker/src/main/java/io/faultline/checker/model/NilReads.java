package io.faultline.checker.model;

/**
 * What a read that returned nil means. Knossos and Porcupine differ here (see shared/histories/README.md).
 */
public enum NilReads {
    /** Knossos: a nil read is "value unknown" and always legal; registers start at 0 unless told otherwise. */
    WILDCARD,
    /** Porcupine-like: a nil read observed "never written"; registers start at nil unless told otherwise. */
    STRICT;

    public static NilReads parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "wildcard", "knossos" -> WILDCARD;
            case "strict", "porcupine" -> STRICT;
            default -> throw new IllegalArgumentException("unknown nil-read mode '" + s + "' (wildcard|strict)");
        };
    }
}
