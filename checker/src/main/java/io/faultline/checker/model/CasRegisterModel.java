package io.faultline.checker.model;

import java.util.List;
import java.util.Objects;

/** A compare-and-set register: read, write v, cas [expected new]. Knossos' cas-register. */
public class CasRegisterModel implements Model {
    static final int READ = 0, WRITE = 1, CAS = 2, CAS_FAILED = 3, NOOP = 4;

    /** A compiled op. */
    record RegOp(int kind, Object a, Object b) {
        @Override
        public String toString() {
            return switch (kind) {
                case READ -> "read " + a;
                case WRITE -> "write " + a;
                case CAS -> "cas " + a + "->" + b;
                case CAS_FAILED -> "failed cas " + a + "->" + b;
                default -> "noop";
            };
        }
    }

    private static final RegOp NOOP_OP = new RegOp(NOOP, null, null);

    protected final ModelConfig config;
    private final Object init;

    public CasRegisterModel(ModelConfig config) {
        this.config = config;
        this.init = config.registerInit();
    }

    @Override
    public String name() {
        return "cas-register";
    }

    @Override
    public Object initialState() {
        return init;
    }

    @Override
    public Object prepare(Call call) {
        switch (call.f()) {
            case "read":
                if (call.pending() || call.failed()) return NOOP_OP;
                Object v = Values.norm(call.output());
                if (v == null && config.nilReads() == NilReads.WILDCARD) return NOOP_OP;
                return new RegOp(READ, v, null);
            case "write":
                if (call.failed()) return NOOP_OP;
                return new RegOp(WRITE, Values.norm(call.value()), null);
            case "cas":
                return cas(call);
            default:
                throw new IllegalArgumentException(name() + " has no op '" + call.f() + "' (read, write, cas)");
        }
    }

    protected Object cas(Call call) {
        List<?> t = Values.tuple(Values.norm(call.value()), 2, "cas");
        return new RegOp(call.failed() ? CAS_FAILED : CAS, t.get(0), t.get(1));
    }

    @Override
    public Object step(Object state, Object op) {
        RegOp o = (RegOp) op;
        return switch (o.kind) {
            case READ -> Objects.equals(state, o.a) ? state : ILLEGAL;
            case WRITE -> o.a;
            case CAS -> Objects.equals(state, o.a) ? o.b : ILLEGAL;
            case CAS_FAILED -> Objects.equals(state, o.a) ? ILLEGAL : state;
            default -> state;
        };
    }

    @Override
    public boolean readOnly(Object op) {
        int k = ((RegOp) op).kind;
        return k == READ || k == NOOP || k == CAS_FAILED;
    }

    /**
     * A write or cas leaving value v matters only to ops whose legality needs the register at v (a read of v, a cas
     * expecting v) or not at e (a failed cas expecting e != v). Writes are legal anywhere.
     */
    @Override
    public boolean mayEnable(Object op, Object other) {
        RegOp o = (RegOp) op;
        if (o.kind != WRITE && o.kind != CAS) return true;
        Object v = o.kind == WRITE ? o.a : o.b;
        RegOp q = (RegOp) other;
        return switch (q.kind) {
            case READ -> Objects.equals(q.a, v);
            case CAS -> Objects.equals(q.a, v);
            case CAS_FAILED -> !Objects.equals(q.a, v);
            default -> false;
        };
    }

    @Override
    public boolean hasEnablingRelation() {
        return true;
    }

    @Override
    public boolean trivial(Object op) {
        return ((RegOp) op).kind == NOOP;
    }
}
