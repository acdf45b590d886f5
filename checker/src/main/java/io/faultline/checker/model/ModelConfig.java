package io.faultline.checker.model;

/**
 * How a model reads a history.
 *
 * @param nilReads what nil reads mean
 * @param failMode what :fail completions mean
 * @param init     the initial value (register value, kv value, ...), or null for the model's default
 *                 (registers: 0 with wildcard nil reads as Knossos, nil with strict)
 */
public record ModelConfig(NilReads nilReads, FailMode failMode, Object init) {
    public static ModelConfig knossos() {
        return new ModelConfig(NilReads.WILDCARD, FailMode.DROP, null);
    }

    /** The register default initial value under these nil-read semantics, unless an init was given. */
    public Object registerInit() {
        if (init != null) return Values.norm(init);
        return nilReads == NilReads.WILDCARD ? (Object) 0L : null;
    }
}
