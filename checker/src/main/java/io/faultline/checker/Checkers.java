package io.faultline.checker;

import io.faultline.checker.linear.LinearizabilityChecker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The registry of checkers by command-line name ({@code --checker NAME}). Adding a checker is one line in
 * the static block below.
 */
public final class Checkers {
    private static final Map<String, Function<CheckerOptions, Checker>> FACTORIES = new LinkedHashMap<>();

    static {
        // --- linearizability (issue 3) ---
        FACTORIES.put(LinearizabilityChecker.NAME, LinearizabilityChecker::new);

        // --- session / set / queue / counter / lock / unique-ids / stats checkers (issue 7): one line each ---
        FACTORIES.put("session", io.faultline.checker.session.SessionChecker::new);
        FACTORIES.put("set", opts -> new io.faultline.checker.jepsen.SetChecker(Boolean.parseBoolean(opts.extra("linearizable", "false"))));
        FACTORIES.put("fifo-queue", opts -> new io.faultline.checker.jepsen.QueueChecker(true));
        FACTORIES.put("unordered-queue", opts -> new io.faultline.checker.jepsen.QueueChecker(false));
        FACTORIES.put("queue", opts -> new io.faultline.checker.jepsen.QueueChecker(false, "queue"));
        FACTORIES.put("counter", io.faultline.checker.jepsen.CounterChecker::of);
        FACTORIES.put("lock", opts -> new io.faultline.checker.jepsen.LockChecker());
        FACTORIES.put("unique-ids", opts -> new io.faultline.checker.jepsen.UniqueIdsChecker());
        FACTORIES.put("stats", opts -> new io.faultline.checker.jepsen.StatsChecker());
    }

    private Checkers() {
    }

    /** A new checker by name. */
    public static Checker byName(String name, CheckerOptions opts) {
        Function<CheckerOptions, Checker> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown checker '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.apply(opts == null ? CheckerOptions.defaults() : opts);
    }

    /** The registered names, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(FACTORIES.keySet()));
    }
}
