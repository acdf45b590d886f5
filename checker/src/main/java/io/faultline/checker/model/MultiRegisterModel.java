package io.faultline.checker.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Knossos' multi-register: a map of registers changed by transactions {@code :txn [[:read k v] [:write k v] ...]}.
 * Registers never written hold the initial value (a map given as init, else the register default).
 */
public final class MultiRegisterModel implements Model {
    private record Micro(boolean write, Object key, Object value) {
    }

    private record Txn(List<Micro> micros, boolean readOnly) {
    }

    private final ModelConfig config;
    private final Map<Object, Object> init;
    private final Object defaultValue;

    public MultiRegisterModel(ModelConfig config) {
        this.config = config;
        Map<Object, Object> m = new HashMap<>();
        Object dflt = config.nilReads() == NilReads.WILDCARD ? (Object) 0L : null;
        if (config.init() instanceof Map<?, ?> given) {
            ((Map<?, ?>) Values.norm(given)).forEach(m::put);
        } else if (config.init() != null) {
            dflt = Values.norm(config.init());
        }
        this.init = Map.copyOf(m);
        this.defaultValue = dflt;
    }

    @Override
    public String name() {
        return "multi-register";
    }

    @Override
    public Object initialState() {
        return init;
    }

    @Override
    public Object prepare(Call call) {
        if (!call.f().equals("txn")) throw new IllegalArgumentException("multi-register has no op '" + call.f() + "' (txn)");
        if (call.failed()) return new Txn(List.of(), true);
        if (!(Values.norm(call.value()) instanceof List<?> l)) throw new IllegalArgumentException("txn value must be a list of [f k v]");
        List<Micro> micros = new ArrayList<>();
        boolean readOnly = true;
        for (Object o : l) {
            List<?> m = Values.tuple(o, 3, "txn micro-op");
            String f = String.valueOf(m.get(0));
            switch (f) {
                case "read" -> {
                    if (call.pending()) continue;
                    if (m.get(2) == null && config.nilReads() == NilReads.WILDCARD) continue;
                    micros.add(new Micro(false, m.get(1), m.get(2)));
                }
                case "write" -> {
                    micros.add(new Micro(true, m.get(1), m.get(2)));
                    readOnly = false;
                }
                default -> throw new IllegalArgumentException("txn micro-op must be read or write, got " + f);
            }
        }
        return new Txn(List.copyOf(micros), readOnly);
    }

    @Override
    public Object step(Object state, Object op) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> s = (Map<Object, Object>) state;
        Map<Object, Object> next = null;
        for (Micro m : ((Txn) op).micros) {
            Map<Object, Object> cur = next != null ? next : s;
            if (m.write) {
                if (next == null) next = new HashMap<>(s);
                next.put(m.key, m.value);
            } else if (!Objects.equals(cur.containsKey(m.key) ? cur.get(m.key) : defaultValue, m.value)) {
                return ILLEGAL;
            }
        }
        return next == null ? s : Map.copyOf(next);
    }

    @Override
    public boolean readOnly(Object op) {
        return ((Txn) op).readOnly;
    }

    @Override
    public boolean trivial(Object op) {
        return ((Txn) op).micros.isEmpty();
    }
}
