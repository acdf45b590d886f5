package io.faultline.checker.model;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** A grow-only set: add v, read returns the whole set. */
public final class SetModel implements Model {
    private record SetOp(boolean add, Object value, Set<Object> read) {
    }

    private static final SetOp NOOP = new SetOp(false, null, null);
    private final ModelConfig config;

    public SetModel(ModelConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "set";
    }

    @Override
    public Object initialState() {
        return Set.of();
    }

    @Override
    public Object prepare(Call call) {
        switch (call.f()) {
            case "add":
                return call.failed() ? NOOP : new SetOp(true, Values.norm(call.value()), null);
            case "read":
                if (!call.ok()) return NOOP;
                Object v = Values.norm(call.output());
                if (v == null) {
                    if (config.nilReads() == NilReads.WILDCARD) return NOOP;
                    return new SetOp(false, null, Set.of());
                }
                if (!(v instanceof Collection<?> c)) throw new IllegalArgumentException("set read must return a collection, got " + v);
                return new SetOp(false, null, Set.copyOf(new HashSet<>(c)));
            default:
                throw new IllegalArgumentException("set has no op '" + call.f() + "' (add, read)");
        }
    }

    @Override
    public Object step(Object state, Object op) {
        @SuppressWarnings("unchecked")
        Set<Object> s = (Set<Object>) state;
        SetOp o = (SetOp) op;
        if (o == NOOP) return s;
        if (o.add) {
            if (s.contains(o.value)) return s;
            Set<Object> next = new HashSet<>(s);
            next.add(o.value);
            return Set.copyOf(next);
        }
        return s.equals(o.read) ? s : ILLEGAL;
    }

    @Override
    public boolean readOnly(Object op) {
        return !((SetOp) op).add;
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP;
    }
}
