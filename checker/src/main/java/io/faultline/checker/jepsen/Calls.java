package io.faultline.checker.jepsen;

import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pairs invocations with completions. Nemesis entries and completions without an invocation are skipped. */
public final class Calls {
    private Calls() {}

    /** Client calls in invocation order. One pass, O(n). */
    public static List<Call> of(List<Op> history) {
        List<Call> calls = new ArrayList<>();
        Map<Long, Integer> open = new HashMap<>(); // process -> position in calls
        List<Op> completions = new ArrayList<>();
        List<Op> invokes = new ArrayList<>();
        for (Op op : history) {
            if (op.isNemesis()) continue;
            if (op.isInvoke()) {
                open.put(op.process(), invokes.size());
                invokes.add(op);
                completions.add(null);
            } else {
                Integer at = open.remove(op.process());
                if (at != null) completions.set(at, op);
            }
        }
        for (int i = 0; i < invokes.size(); i++) calls.add(new Call(invokes.get(i), completions.get(i)));
        return calls;
    }

    /** Reads a value as a long, or null if it is not an integral number. */
    public static Long asLong(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof Short s) return s.longValue();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Elements of a collection value (list or set), not copied; empty for null, a singleton for a scalar. */
    @SuppressWarnings("unchecked")
    public static java.util.Collection<Object> elements(Object v) {
        if (v == null) return List.of();
        if (v instanceof java.util.Collection<?> c) return (java.util.Collection<Object>) c;
        return List.of(v);
    }

    /** Normalises integral numbers to Long so that 1 (Integer) and 1L are the same element. */
    public static Object element(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        return v;
    }
}
