package io.faultline.workloads.gen;

/**
 * What a generator asks a worker to do: Jepsen's invoke map without the bookkeeping fields.
 *
 * @param f     the operation name (read, write, cas, add, start-partition, ...)
 * @param value the argument, plain data (null, Long, String, List, Map)
 * @param key   the independent key, or null
 */
public record Invocation(String f, Object value, Object key) {
    public static Invocation of(String f, Object value) {
        return new Invocation(f, value, null);
    }

    public Invocation withKey(Object newKey) {
        return new Invocation(f, value, newKey);
    }
}
