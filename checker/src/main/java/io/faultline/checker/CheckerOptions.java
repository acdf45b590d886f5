package io.faultline.checker;

import io.faultline.checker.model.NilReads;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Options every checker receives from {@link Checkers#byName}. Checkers ignore what does not concern them.
 *
 * @param model             the datatype model for model-based checkers (e.g. "cas-register"); may be null
 * @param nilReads          what a nil read means (wildcard = Knossos, strict = "never written")
 * @param timeLimit         wall-clock budget for one check; exceeding it gives {@link Verdict#UNKNOWN}
 * @param memoryBudgetBytes bytes a check may use for its search state; exceeding it gives UNKNOWN
 * @param extras            any other named options (e.g. "init", "fail", "threads"), never null
 */
public record CheckerOptions(String model, NilReads nilReads, Duration timeLimit, long memoryBudgetBytes,
                             Map<String, String> extras) {

    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    public CheckerOptions {
        Objects.requireNonNull(nilReads, "nilReads");
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new IllegalArgumentException("time limit must be positive");
        if (memoryBudgetBytes <= 0) memoryBudgetBytes = defaultMemoryBudget();
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }

    /** Defaults: no model, wildcard nil reads, 30 s, half of the heap this JVM may still grow to. */
    public static CheckerOptions defaults() {
        return new CheckerOptions(null, NilReads.WILDCARD, DEFAULT_TIME_LIMIT, defaultMemoryBudget(), Map.of());
    }

    public static CheckerOptions forModel(String model) {
        return defaults().withModel(model);
    }

    public CheckerOptions withModel(String newModel) {
        return new CheckerOptions(newModel, nilReads, timeLimit, memoryBudgetBytes, extras);
    }

    public CheckerOptions withNilReads(NilReads mode) {
        return new CheckerOptions(model, mode, timeLimit, memoryBudgetBytes, extras);
    }

    public CheckerOptions withTimeLimit(Duration limit) {
        return new CheckerOptions(model, nilReads, limit, memoryBudgetBytes, extras);
    }

    public CheckerOptions withMemoryBudget(long bytes) {
        return new CheckerOptions(model, nilReads, timeLimit, bytes, extras);
    }

    public CheckerOptions withExtra(String name, String value) {
        var m = new java.util.HashMap<>(extras);
        m.put(name, value);
        return new CheckerOptions(model, nilReads, timeLimit, memoryBudgetBytes, m);
    }

    /** An extra option, or the fallback. */
    public String extra(String name, String fallback) {
        return extras.getOrDefault(name, fallback);
    }

    /** Half of the heap that is still available to this JVM (max heap minus what is in use now). */
    public static long defaultMemoryBudget() {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return Math.max(64L << 20, available / 2);
    }
}
