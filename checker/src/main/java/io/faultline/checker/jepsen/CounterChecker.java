package io.faultline.checker.jepsen;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's counter checker. Every ok read must lie within bounds: at least the initial value plus the
 * adds acknowledged before the read began (plus every negative delta that may have applied), at most
 * that plus every positive delta of adds that may have applied by the time the read returned (ok or
 * indeterminate adds invoked before the read completed). One pass over the history, O(n).
 */
public final class CounterChecker implements Checker {
    public static final String NAME = "counter";
    private final long initial;

    public CounterChecker() {
        this(0);
    }

    public CounterChecker(long initial) {
        this.initial = initial;
    }

    /** From options: extra "init" is the counter's initial value (default 0). */
    public static CounterChecker of(io.faultline.checker.CheckerOptions opts) {
        String init = opts.extra("init", "0");
        try {
            return new CounterChecker(Long.parseLong(init.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("counter checker: init must be an integer, got '" + init + "'");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = Calls.of(history);
        // Per history position: what is known about adds at that point.
        Map<Long, Call> addByInvokeIndex = new java.util.HashMap<>();
        Map<Long, Call> addByCompletionIndex = new java.util.HashMap<>();
        Map<Long, Call> readByInvokeIndex = new java.util.HashMap<>();
        Map<Long, Call> readByCompletionIndex = new java.util.HashMap<>();
        List<Anomaly> anomalies = new ArrayList<>();
        for (Call c : calls) {
            if (c.f().equals("add")) {
                if (c.failed()) continue;
                Long delta = Calls.asLong(c.invoke().value());
                if (delta == null) {
                    anomalies.add(new Anomaly("malformed-op", "add with non-integer delta " + c.invoke().value(),
                            List.of(c.start())));
                    continue;
                }
                addByInvokeIndex.put(c.start(), c);
                if (c.ok()) addByCompletionIndex.put(c.end(), c);
            } else if (c.f().equals("read") && c.ok()) {
                readByInvokeIndex.put(c.start(), c);
                readByCompletionIndex.put(c.end(), c);
            }
        }
        long okSum = 0, okPos = 0, okNeg = 0; // acknowledged adds completed so far
        long invPos = 0, invNeg = 0;          // non-failed adds invoked so far
        Map<Long, long[]> atReadInvoke = new java.util.HashMap<>(); // read start -> {okSum, okPos, okNeg}
        long reads = 0;
        List<Object> readBounds = new ArrayList<>();
        for (Op op : history) {
            long i = op.index();
            Call add = addByInvokeIndex.get(i);
            if (add != null && op.isInvoke()) {
                long d = Calls.asLong(add.invoke().value());
                if (d >= 0) invPos += d;
                else invNeg += d;
            }
            Call read = readByInvokeIndex.get(i);
            if (read != null && op.isInvoke()) atReadInvoke.put(i, new long[] {okSum, okPos, okNeg});
            Call done = addByCompletionIndex.get(i);
            if (done != null && op.isCompletion()) {
                long d = Calls.asLong(done.invoke().value());
                okSum += d;
                if (d >= 0) okPos += d;
                else okNeg += d;
            }
            Call readDone = readByCompletionIndex.get(i);
            if (readDone != null && op.isCompletion()) {
                reads++;
                long[] at = atReadInvoke.get(readDone.start());
                long lower = initial + at[0] + (invNeg - at[2]);
                long upper = initial + at[0] + (invPos - at[1]);
                Long value = Calls.asLong(readDone.completion().value());
                if (readBounds.size() < 1000) readBounds.add(List.of(lower, value == null ? "nil" : value, upper));
                if (value == null || value < lower || value > upper) {
                    anomalies.add(new Anomaly("counter-out-of-bounds", "read " + readDone.completion().value()
                            + " outside the possible range [" + lower + ", " + upper + "]",
                            List.of(readDone.start(), readDone.end())));
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("read-count", reads);
        details.put("error-count", (long) anomalies.size());
        details.put("reads", readBounds);
        Verdict verdict = anomalies.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        String summary = anomalies.isEmpty() ? reads + " reads, all within bounds"
                : anomalies.size() + " of " + reads + " reads outside the bounds of the adds";
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }
}
