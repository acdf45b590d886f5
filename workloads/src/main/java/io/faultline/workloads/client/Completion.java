package io.faultline.workloads.client;

import io.faultline.checker.history.OpType;
import java.util.HashMap;
import java.util.Map;

/**
 * How an op ended, as a client saw it; the recorder turns it into the completion entry.
 *
 * @param type    ok, fail or info (never invoke)
 * @param value   the result (read value, ...) or the invocation's value echoed
 * @param node    the server that answered, or null
 * @param session the session id that answered, or null
 * @param zxid    the reply header zxid, or null (always null on info)
 * @param extra   more fields (error, mzxid, version, read-mode, ...)
 */
public record Completion(OpType type, Object value, String node, Long session, Long zxid, Map<String, Object> extra) {
    public Completion {
        if (type == OpType.INVOKE) throw new IllegalArgumentException("a completion cannot be an invoke");
        extra = extra == null ? Map.of() : extra;
    }

    public static Completion ok(Object value) {
        return new Completion(OpType.OK, value, null, null, null, Map.of());
    }

    public static Completion fail(Object value, String error) {
        return new Completion(OpType.FAIL, value, null, null, null, Map.of("error", error));
    }

    public static Completion info(Object value, String error) {
        return new Completion(OpType.INFO, value, null, null, null, Map.of("error", error));
    }

    public Completion with(String field, Object v) {
        Map<String, Object> m = new HashMap<>(extra);
        if (v != null) m.put(field, v);
        return new Completion(type, value, node, session, zxid, m);
    }
}
