package io.faultline.checker.history;

import java.util.Map;
import java.util.Objects;

/**
 * One history entry, mirroring Jepsen's op maps. Histories are plain data: a list of these.
 *
 * <p>Values use plain Java data: {@code null}, {@link Long}, {@link String}, {@link Boolean},
 * {@link Double}, {@link java.util.List} (Jepsen vectors, e.g. CAS {@code [expected, new]}),
 * {@link java.util.Map} and {@link java.util.Set}.
 *
 * @param index   position in the history (0-based, dense)
 * @param time    nanoseconds since test start (monotonic); -1 when unknown
 * @param type    invoke, ok, fail or info
 * @param process the logical client process; {@link #NEMESIS} for fault-injection entries
 * @param f       the operation name (read, write, cas, add, ...)
 * @param value   the operation's argument or result
 * @param key     the independent key, or null (Jepsen's independent/tuple keys)
 * @param node    the server the client talked to, or null
 * @param session the ZooKeeper session id, or null
 * @param zxid    the zxid in the reply header, or null
 * @param extra   any other fields (error, mzxid, version, ...); never null, unmodifiable
 */
public record Op(long index, long time, OpType type, long process, String f, Object value,
                 Object key, String node, Long session, Long zxid, Map<String, Object> extra) {

    /** The process id of nemesis (fault) entries, which are not client operations. */
    public static final long NEMESIS = -1;

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A client op with no optional fields. */
    public static Op of(long index, long time, OpType type, long process, String f, Object value) {
        return new Op(index, time, type, process, f, value, null, null, null, null, Map.of());
    }

    public boolean isNemesis() {
        return process == NEMESIS;
    }

    public boolean isInvoke() {
        return type == OpType.INVOKE;
    }

    public boolean isCompletion() {
        return type != OpType.INVOKE;
    }

    public Op withIndex(long newIndex) {
        return new Op(newIndex, time, type, process, f, value, key, node, session, zxid, extra);
    }

    public Op withValue(Object newValue) {
        return new Op(index, time, type, process, f, newValue, key, node, session, zxid, extra);
    }

    public Op withType(OpType newType) {
        return new Op(index, time, newType, process, f, value, key, node, session, zxid, extra);
    }

    /** An extra field, or null. */
    public Object get(String field) {
        return extra.get(field);
    }
}
