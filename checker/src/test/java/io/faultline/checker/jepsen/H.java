package io.faultline.checker.jepsen;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A hand-built history for tests: ops are appended in order; times default to index milliseconds. */
public final class H {
    private final List<Op> ops = new ArrayList<>();
    private long clockNs = -1;

    /** Optional fields of one op. */
    public static final class F {
        Object key;
        String node;
        Long session;
        Long zxid;
        Long time;
        final Map<String, Object> extra = new HashMap<>();

        public static F f() {
            return new F();
        }

        public F key(Object k) { key = k; return this; }
        public F node(String n) { node = n; return this; }
        public F session(long s) { session = s; return this; }
        public F zxid(long z) { zxid = z; return this; }
        public F time(long ns) { time = ns; return this; }
        public F x(String name, Object v) { extra.put(name, v); return this; }
    }

    public static F f() {
        return new F();
    }

    public long add(OpType type, long process, String f, Object value, F fields) {
        long index = ops.size();
        long time = fields.time != null ? fields.time : Math.max(clockNs + 1, index * 1_000_000L);
        clockNs = time;
        ops.add(new Op(index, time, type, process, f, value, fields.key, fields.node, fields.session, fields.zxid,
                fields.extra));
        return index;
    }

    public long invoke(long p, String f, Object v) { return add(OpType.INVOKE, p, f, v, new F()); }
    public long invoke(long p, String f, Object v, F x) { return add(OpType.INVOKE, p, f, v, x); }
    public long ok(long p, String f, Object v) { return add(OpType.OK, p, f, v, new F()); }
    public long ok(long p, String f, Object v, F x) { return add(OpType.OK, p, f, v, x); }
    public long fail(long p, String f, Object v) { return add(OpType.FAIL, p, f, v, new F()); }
    public long fail(long p, String f, Object v, F x) { return add(OpType.FAIL, p, f, v, x); }
    public long info(long p, String f, Object v) { return add(OpType.INFO, p, f, v, new F()); }
    public long info(long p, String f, Object v, F x) { return add(OpType.INFO, p, f, v, x); }

    /** Invoke and ok back to back; returns the completion's index. */
    public long call(long p, String f, Object invokeValue, Object okValue) {
        invoke(p, f, invokeValue);
        return ok(p, f, okValue);
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }
}
