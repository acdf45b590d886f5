package io.faultline.checker.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Value helpers for models: numbers compare as Long whatever their Java type. */
public final class Values {
    private Values() {
    }

    public static Object norm(Object v) {
        return switch (v) {
            case null -> null;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
            case Set<?> s -> {
                Set<Object> out = new HashSet<>();
                for (Object o : s) out.add(norm(o));
                yield java.util.Collections.unmodifiableSet(out);
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                for (Object o : c) out.add(norm(o));
                yield java.util.Collections.unmodifiableList(out);
            }
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put(norm(e.getKey()), norm(e.getValue()));
                yield java.util.Collections.unmodifiableMap(out);
            }
            default -> v;
        };
    }

    /** A list value of exactly n elements, for ops like cas [expected new]. */
    public static List<?> tuple(Object v, int n, String what) {
        if (v instanceof List<?> l && l.size() == n) return l;
        throw new IllegalArgumentException(what + " needs a value of " + n + " elements, got " + v);
    }

    public static long asLong(Object v, String what) {
        if (v instanceof Number n) return n.longValue();
        throw new IllegalArgumentException(what + " must be an integer, got " + v);
    }
}
