package io.faultline.checker.model;

import java.util.List;
import java.util.Objects;

/**
 * A ZooKeeper znode's data as a register with a version: read returns [value version]; write v sets the data
 * unconditionally (setData with version -1); cas [expectedVersion newValue] succeeds iff the version matches
 * (setData with a version). Every successful write bumps the version; the node starts at version 0.
 */
public final class ZkVersionedRegisterModel implements Model {
    /** The state: data and its version (ZooKeeper's Stat.version). */
    public record Versioned(Object value, long version) {
        @Override
        public String toString() {
            return "[" + value + " v" + version + "]";
        }
    }

    private static final int READ = 0, WRITE = 1, CAS = 2, CAS_FAILED = 3, NOOP = 4;

    private record ZOp(int kind, Object value, long version, boolean versionKnown) {
    }

    private static final ZOp NOOP_OP = new ZOp(NOOP, null, 0, false);
    private final ModelConfig config;
    private final Versioned init;

    public ZkVersionedRegisterModel(ModelConfig config) {
        this.config = config;
        this.init = new Versioned(config.registerInit(), 0);
    }

    @Override
    public String name() {
        return "zk-versioned-register";
    }

    @Override
    public Object initialState() {
        return init;
    }

    @Override
    public Object prepare(Call call) {
        switch (call.f()) {
            case "read":
                if (!call.ok()) return NOOP_OP;
                Object v = Values.norm(call.output());
                if (v == null) return config.nilReads() == NilReads.WILDCARD ? NOOP_OP : new ZOp(READ, null, 0, false);
                List<?> t = Values.tuple(v, 2, "zk read");
                if (t.get(0) == null && t.get(1) == null && config.nilReads() == NilReads.WILDCARD) return NOOP_OP;
                return new ZOp(READ, t.get(0), t.get(1) == null ? 0 : Values.asLong(t.get(1), "version"), t.get(1) != null);
            case "write":
                return call.failed() ? NOOP_OP : new ZOp(WRITE, Values.norm(call.value()), 0, false);
            case "cas": {
                List<?> c = Values.tuple(Values.norm(call.value()), 2, "zk cas [version value]");
                long expected = Values.asLong(c.get(0), "cas version");
                return new ZOp(call.failed() ? CAS_FAILED : CAS, c.get(1), expected, true);
            }
            default:
                throw new IllegalArgumentException("zk-versioned-register has no op '" + call.f() + "' (read, write, cas)");
        }
    }

    @Override
    public Object step(Object state, Object op) {
        Versioned s = (Versioned) state;
        ZOp o = (ZOp) op;
        return switch (o.kind) {
            case READ -> Objects.equals(s.value, o.value) && (!o.versionKnown || s.version == o.version) ? s : ILLEGAL;
            case WRITE -> new Versioned(o.value, s.version + 1);
            case CAS -> s.version == o.version ? new Versioned(o.value, s.version + 1) : ILLEGAL;
            case CAS_FAILED -> s.version == o.version ? ILLEGAL : s;
            default -> s;
        };
    }

    @Override
    public boolean readOnly(Object op) {
        int k = ((ZOp) op).kind;
        return k == READ || k == CAS_FAILED || k == NOOP;
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP_OP;
    }
}
