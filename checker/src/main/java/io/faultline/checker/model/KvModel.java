package io.faultline.checker.model;

import java.util.Objects;

/**
 * Porcupine's key/value store: get, put v, append v on string values, per key (the op's key); every key starts
 * as "" (or the given init). Partitioned by key, so the state of one partition is one string.
 */
public final class KvModel implements Model {
    private static final int GET = 0, PUT = 1, APPEND = 2, NOOP = 3;

    private record KvOp(int kind, String value) {
    }

    private static final KvOp NOOP_OP = new KvOp(NOOP, null);
    private final ModelConfig config;
    private final String init;

    public KvModel(ModelConfig config) {
        this.config = config;
        this.init = config.init() == null ? "" : String.valueOf(config.init());
    }

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public Object initialState() {
        return init;
    }

    @Override
    public Object prepare(Call call) {
        if (call.key() == null) throw new IllegalArgumentException("kv ops need a key");
        if (call.failed()) return NOOP_OP;
        switch (call.f()) {
            case "get":
                if (call.pending()) return NOOP_OP;
                if (call.output() == null) return config.nilReads() == NilReads.WILDCARD ? NOOP_OP : new KvOp(GET, init);
                return new KvOp(GET, String.valueOf(call.output()));
            case "put":
                return new KvOp(PUT, String.valueOf(call.value() == null ? "" : call.value()));
            case "append":
                return new KvOp(APPEND, String.valueOf(call.value() == null ? "" : call.value()));
            default:
                throw new IllegalArgumentException("kv has no op '" + call.f() + "' (get, put, append)");
        }
    }

    @Override
    public Object step(Object state, Object op) {
        KvOp o = (KvOp) op;
        String s = (String) state;
        return switch (o.kind) {
            case GET -> Objects.equals(s, o.value) ? s : ILLEGAL;
            case PUT -> o.value;
            case APPEND -> s.concat(o.value);
            default -> s;
        };
    }

    @Override
    public boolean readOnly(Object op) {
        int k = ((KvOp) op).kind;
        return k == GET || k == NOOP;
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP_OP;
    }

    @Override
    public String describe(Object state) {
        return "\"" + state + "\"";
    }
}
