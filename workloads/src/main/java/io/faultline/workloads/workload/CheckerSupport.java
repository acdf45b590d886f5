package io.faultline.workloads.workload;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Adapters that fit the checker module's checkers to a workload's history. */
public final class CheckerSupport {
    private CheckerSupport() {}

    /** The registered checker of that name, if the checker module has it. */
    public static Optional<Checker> registered(String name, CheckerOptions options) {
        return Checkers.names().contains(name) ? Optional.of(Checkers.byName(name, options)) : Optional.empty();
    }

    /** The registered checkers of these names, with default options, in this order (absent names are skipped). */
    public static List<Checker> registered(String... names) {
        List<Checker> out = new ArrayList<>();
        for (String name : names) registered(name, CheckerOptions.defaults()).ifPresent(out::add);
        return out;
    }

    /**
     * Runs {@code inner} on the ops that {@code keep} accepts (invokes and completions alike), re-indexed
     * densely; witnesses are mapped back to indices of the full history.
     */
    public static Checker filtered(String name, Checker inner, Predicate<Op> keep) {
        return new Checker() {
            @Override public String name() { return name; }

            @Override
            public CheckResult check(List<Op> history) {
                List<Op> sub = new ArrayList<>();
                for (Op op : history) if (keep.test(op)) sub.add(op.withIndex(sub.size()));
                long[] back = new long[sub.size()];
                int i = 0;
                for (Op op : history) if (keep.test(op)) back[i++] = op.index();
                CheckResult r = inner.check(sub);
                return new CheckResult(name, r.verdict(), r.summary(), remap(r.anomalies(), back), r.details());
            }
        };
    }

    /**
     * Jepsen's independent checker: splits client ops by key, checks each key's sub-history, and
     * combines (worst verdict; every anomaly, witnesses in full-history indices).
     */
    public static Checker perKey(String name, Checker inner) {
        return new Checker() {
            @Override public String name() { return name; }

            @Override
            public CheckResult check(List<Op> history) {
                Map<Object, List<Op>> byKey = new LinkedHashMap<>();
                for (Op op : history) if (op.key() != null && !op.isNemesis()) byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
                Verdict verdict = Verdict.VALID;
                List<Anomaly> anomalies = new ArrayList<>();
                Map<String, Object> perKey = new LinkedHashMap<>();
                List<String> bad = new ArrayList<>();
                for (var e : byKey.entrySet()) {
                    List<Op> ops = e.getValue();
                    List<Op> sub = new ArrayList<>(ops.size());
                    long[] back = new long[ops.size()];
                    for (int i = 0; i < ops.size(); i++) {
                        sub.add(ops.get(i).withIndex(i));
                        back[i] = ops.get(i).index();
                    }
                    CheckResult r = inner.check(sub);
                    verdict = verdict.worst(r.verdict());
                    anomalies.addAll(remap(r.anomalies(), back));
                    perKey.put(String.valueOf(e.getKey()), r.verdict().name().toLowerCase());
                    if (r.verdict() != Verdict.VALID) bad.add(e.getKey() + ": " + r.summary());
                }
                String summary = byKey.size() + " keys, " + switch (verdict) {
                    case VALID -> "all valid";
                    default -> bad.size() + " not valid: " + String.join("; ", bad.subList(0, Math.min(3, bad.size())));
                };
                return new CheckResult(name, verdict, summary, anomalies, Map.of("keys", perKey));
            }
        };
    }

    private static List<Anomaly> remap(List<Anomaly> anomalies, long[] back) {
        List<Anomaly> out = new ArrayList<>(anomalies.size());
        for (Anomaly a : anomalies) {
            List<Long> w = new ArrayList<>();
            for (long i : a.witnesses()) w.add(i >= 0 && i < back.length ? back[(int) i] : i);
            out.add(new Anomaly(a.kind(), a.description(), w));
        }
        return out;
    }

    /** A checker that reports one fixed verdict, e.g. "not available in this build" as unknown. */
    public static Checker unavailable(String name, String why) {
        return new Checker() {
            @Override public String name() { return name; }
            @Override public CheckResult check(List<Op> history) {
                return new CheckResult(name, Verdict.UNKNOWN, why, List.of(), new HashMap<>());
            }
        };
    }
}
